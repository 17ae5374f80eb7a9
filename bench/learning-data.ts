/**
 * The learning benchmark's evaluation set: pairs of a first request (whose analysis wrote `lesson`
 * with `keywords`) and a later request a user might type where that lesson should help, plus
 * distractor lessons that no later request is about. Written as users and the analysis write; which
 * pairs share a content word is not declared here but measured (bench/learning.ts), so the
 * "reworded" figure counts only second requests sharing no stem with the lesson or its request.
 */
export interface EvalPair {
  lesson: string;
  /** What the analysis adds: words a user might use for the same situation. */
  keywords: string[];
  first: string;
  second: string;
}

export const pairs: EvalPair[] = [
  {
    lesson: 'Parser changes break the golden files: have the reviewer run npm run golden before approving',
    keywords: ['snapshot', 'fixtures', 'grammar'],
    first: 'fix the parser so it accepts trailing commas',
    second: 'the parser crashes on nested arrays, fix it',
  },
  {
    lesson: 'Currency formatting lives in src/money.ts; add new currencies there with a test per locale',
    keywords: ['yen', 'euro', 'dollar', 'price', 'symbol'],
    first: 'add euro formatting to prices',
    second: 'add currency formatting for the swiss franc',
  },
  {
    lesson: 'The e2e suite is flaky on its first run: rerun once before treating a failure as real',
    keywords: ['intermittent', 'retry', 'playwright'],
    first: 'why do the e2e tests fail in CI',
    second: 'the e2e tests failed again on my branch',
  },
  {
    lesson: 'Database migrations need a review-loop: the reviewer must apply the migration to a copy of the dev database',
    keywords: ['schema', 'sql', 'alter', 'table', 'column'],
    first: "add a column for the user's birthday",
    second: 'write a migration that renames the orders table',
  },
  {
    lesson: 'Questions about the architecture are answered by one explorer; no coder needed',
    keywords: ['overview', 'explain', 'design', 'structure'],
    first: 'how is the request router structured?',
    second: 'explain the architecture of the plugin system',
  },
  {
    lesson: 'Renames across many files go faster with plan-execute, one step per package',
    keywords: ['refactor', 'identifier', 'symbol'],
    first: 'rename UserService to AccountService everywhere',
    second: 'rename the config files across all packages',
  },
  {
    lesson: 'The build uses pnpm, not npm: run pnpm install and pnpm build',
    keywords: ['install', 'dependencies', 'package manager'],
    first: 'the build fails after pulling main',
    second: 'update the build script to include the docs',
  },
  {
    lesson: 'Run npm run lint -- --fix before reporting success; CI rejects lint errors',
    keywords: ['eslint', 'prettier', 'formatting', 'style'],
    first: 'clean up the unused imports in src/',
    second: 'fix the lint errors in the api folder',
  },
  {
    lesson: 'Dependency upgrades: bump one package at a time and run the full test suite after each',
    keywords: ['npm', 'version', 'outdated', 'renovate'],
    first: 'upgrade react to version 19',
    second: 'upgrade the eslint dependency to the latest version',
  },
  {
    lesson: 'The full test suite takes 10 minutes; for quick checks run npm test -- --changed',
    keywords: ['slow', 'duration', 'vitest'],
    first: 'run the tests for my change',
    second: 'which tests cover my change to the cache?',
  },
  {
    lesson: 'API endpoint changes must update the OpenAPI spec in docs/openapi.yaml',
    keywords: ['route', 'handler', 'swagger', 'rest'],
    first: 'add a DELETE endpoint for comments',
    second: 'change the endpoint that lists invoices to support paging',
  },
  {
    lesson: 'Translations live in locales/*.json; a new string needs an entry in every locale file',
    keywords: ['i18n', 'language', 'german', 'french'],
    first: 'add a German translation for the settings page',
    second: 'the checkout page is missing translations',
  },
  {
    lesson: "Ambiguous requests about 'the bug' go to clarify first: ask which issue is meant",
    keywords: ['unclear', 'vague', 'which'],
    first: 'fix the bug',
    second: 'fix that bug from yesterday',
  },
  {
    lesson: 'Docker builds need BuildKit; use docker compose build, not docker build',
    keywords: ['container', 'image', 'compose'],
    first: 'the docker image does not build',
    second: 'speed up the docker build',
  },
  {
    lesson: 'Login and session code needs the auth tests in test/auth and a reviewer',
    keywords: ['authentication', 'password', 'token', 'signin'],
    first: 'add password reset to the login flow',
    second: 'make the login session expire after an hour',
  },
  {
    lesson: 'Logging goes through src/log.ts; never use console.log in library code',
    keywords: ['logger', 'debug', 'print', 'output'],
    first: 'add logging to the payment handler',
    second: 'add more logging to the sync worker',
  },
  {
    lesson: 'Independent documentation pages can be written in parallel, one worker per page',
    keywords: ['docs', 'guide', 'markdown', 'readme'],
    first: 'write docs for the three new CLI commands',
    second: 'write documentation pages for each plugin',
  },
  {
    lesson: 'Theme changes must be checked in both light and dark mode screenshots',
    keywords: ['css', 'colors', 'palette', 'stylesheet'],
    first: 'change the button colors to match the brand',
    second: 'the dark mode theme has unreadable links',
  },
  {
    lesson: "The date utilities assume UTC; convert to the user's timezone only in the UI layer",
    keywords: ['time', 'calendar', 'dst'],
    first: 'dates show one day off for users in Tokyo',
    second: 'the timezone conversion for dates in reports is wrong',
  },
  {
    lesson: 'Performance work: measure with npm run bench before and after, and report both numbers',
    keywords: ['slow', 'speed', 'latency', 'profile'],
    first: 'make the search endpoint faster',
    second: 'improve the performance of the export',
  },
  {
    lesson: 'Flaky browser tests: rerun the failing spec once before debugging',
    keywords: ['intermittent', 'sporadic', 'random', 'unstable'],
    first: 'the playwright spec for checkout is flaky',
    second: 'sometimes CI goes red on the cart page for no reason',
  },
  {
    lesson: 'Money amounts are stored in cents as integers; never use floats for prices',
    keywords: ['currency', 'cost', 'total', 'rounding', 'decimal'],
    first: 'the invoice total is off by 0.01',
    second: 'rounding error when we sum the cart',
  },
  {
    lesson: 'Use the explorer alone for questions about where code lives',
    keywords: ['find', 'locate', 'file', 'module', 'defined'],
    first: 'where is the retry logic implemented?',
    second: 'which module handles sending emails?',
  },
  {
    lesson: 'Database schema changes need a migration file under db/migrations and a rollback',
    keywords: ['sql', 'table', 'column', 'alter'],
    first: 'add an index on orders.created_at',
    second: "store the user's phone number too",
  },
  {
    lesson: 'Renaming a symbol: use the TypeScript language server rename, not search and replace',
    keywords: ['refactor', 'identifier', 'name'],
    first: 'rename getUser to fetchUser',
    second: 'give the helper a clearer name',
  },
  {
    lesson: 'The CI pipeline caches node_modules; a lockfile change needs the cache key bumped',
    keywords: ['github actions', 'workflow', 'dependencies', 'install'],
    first: 'CI fails after adding a package',
    second: 'the workflow installs old dependencies',
  },
  {
    lesson: 'Documentation-only requests go to direct with one coder; no review needed',
    keywords: ['readme', 'docs', 'guide', 'typo'],
    first: 'fix the typo in the docs',
    second: 'the README has an outdated install section',
  },
  {
    lesson: 'Memory leaks in the worker: profile with --inspect and heap snapshots before changing code',
    keywords: ['oom', 'heap', 'crash', 'ram'],
    first: "the worker's memory keeps growing",
    second: 'the background job gets killed for using too much RAM',
  },
  {
    lesson: 'Email templates are in templates/mail; preview them with npm run mail:preview',
    keywords: ['notification', 'message', 'newsletter'],
    first: 'change the welcome email text',
    second: 'update the wording of the signup notification',
  },
  {
    lesson: 'Time zone bugs: all timestamps are UTC in the database; convert only for display',
    keywords: ['date', 'timezone', 'dst', 'clock'],
    first: 'times in the report are two hours off',
    second: 'the calendar shows the meeting on the wrong day in Sydney',
  },
  {
    lesson: 'Large data imports must be streamed; loading the whole CSV in memory crashes the server',
    keywords: ['bulk', 'upload', 'file', 'big'],
    first: 'import the customer CSV',
    second: 'the upload of a 2GB spreadsheet takes down the backend',
  },
  {
    lesson: 'Permission checks live in the policy module; every new route needs a policy entry',
    keywords: ['authorization', 'access', 'role', 'admin', 'forbidden'],
    first: 'add an admin-only page',
    second: 'regular members should not see the billing screen',
  },
  {
    lesson: 'Feature flags are read from config/flags.yml; new features ship behind a flag',
    keywords: ['toggle', 'rollout', 'experiment', 'enable'],
    first: 'add a new checkout flow',
    second: 'let us turn the beta search on only for some customers',
  },
  {
    lesson: 'Spelling and copy changes are small: answer with direct, no planning',
    keywords: ['typo', 'wording', 'text', 'grammar'],
    first: 'fix spelling mistakes on the landing page',
    second: 'a few words on the pricing screen are misspelled',
  },
  {
    lesson: 'Caching: invalidate the Redis keys in src/cache.ts whenever the product model changes',
    keywords: ['stale', 'outdated', 'invalidation', 'ttl'],
    first: 'product prices do not update after editing',
    second: 'customers see stale stock counts',
  },
  {
    lesson: 'The mobile app talks to /api/v2 only; never change v1 responses',
    keywords: ['ios', 'android', 'client', 'backwards compatible'],
    first: 'add a field to the user response',
    second: 'keep older phone clients working when the payload grows',
  },
  {
    lesson: 'Accessibility: every image needs alt text and every button an aria-label',
    keywords: ['a11y', 'screen reader', 'wcag'],
    first: 'add alt text to the gallery',
    second: 'blind users cannot use the menu with a screen reader',
  },
  {
    lesson: 'Background jobs are retried 3 times; make job handlers idempotent',
    keywords: ['queue', 'worker', 'retry', 'duplicate'],
    first: 'the sync job sent an email twice',
    second: 'a queued task billed one customer double',
  },
  {
    lesson: 'Search ranking is in src/search/score.ts; add a case to test/search/ranking.test.ts for every tweak',
    keywords: ['relevance', 'results', 'order'],
    first: 'search results put old posts first',
    second: 'newer articles should appear above older ones when looking things up',
  },
  {
    lesson: 'Log noise: use the debug level for per-request messages; info is for state changes',
    keywords: ['logging', 'verbose', 'quiet', 'spam'],
    first: 'the logs are too noisy',
    second: 'the terminal gets flooded with output on every call',
  },
];

/** Lessons no later request is about: [lesson, the request it came from]. */
export const distractors: [string, string][] = [
  ['Keep commit messages in the imperative mood', 'commit my changes'],
  ["The monorepo's packages/legacy folder is frozen; do not edit it", 'remove the old polyfills'],
  ['GraphQL resolvers must batch lookups with DataLoader', 'the posts query is slow'],
  ['Use plan-execute for changes touching more than five files', 'move the helpers into a shared package'],
  ['Every new UI component gets a Storybook story', 'add a date picker component'],
  ['The Python scripts in tools/ need Python 3.11', 'the release script fails with a syntax error'],
  ['Benchmarks in bench/ must not run in CI', 'add a benchmark for the tokenizer'],
  ['Terraform changes are planned, never applied, by the assistant', 'add an S3 bucket for backups'],
  ['Rust crates under native/ build with cargo build --release', 'the native addon does not compile'],
  ['Design tokens come from the Figma export in design/tokens.json', 'update the spacing scale'],
  ['Release notes are generated from conventional commits', 'write the changelog for 2.3'],
  ['PDF generation runs puppeteer in a separate service', 'invoices should be downloadable as PDF'],
  ['WebSocket handlers must reconnect with exponential backoff', 'the live feed stops after wifi drops'],
  ['Kubernetes manifests are templated with helm in deploy/chart', 'raise the memory limit of the api pod'],
  ['Analytics events are named object_action in snake case', 'track when a user exports a report'],
  ['The admin dashboard is a separate Next.js app in apps/admin', 'add a users table to the admin'],
  ['Validate every external input with a zod schema', 'accept a webhook from Stripe'],
  ['Seed data for local development lives in db/seeds', 'add demo products for local testing'],
  ['Image uploads are resized by the thumbnailer lambda', 'avatars look blurry'],
  ['The GraphQL schema is generated: edit schema.graphql, never the generated types', 'add a field to the Post type'],
];
