/** The run's spending so far against `--max-budget-usd`; shared by every agent call of the run. */
export class Budget {
  spentUsd = 0;
  constructor(readonly limitUsd?: number) {}
  add(costUsd: number): void {
    this.spentUsd += costUsd;
  }
  exceeded(): boolean {
    return this.limitUsd !== undefined && this.spentUsd >= this.limitUsd;
  }
  describe(): string {
    return `budget of $${this.limitUsd?.toFixed(2)} reached ($${this.spentUsd.toFixed(4)} spent)`;
  }
}

/**
 * Files claimed by writers of a `parallel` phase: a second agent that tries to write a file
 * another agent already changed gets an error it can act on, so two writers never touch one file.
 */
export class FileClaims {
  private readonly owners = new Map<string, string>();
  claim(path: string, agentCallId: string): string | undefined {
    const owner = this.owners.get(path);
    if (owner && owner !== agentCallId) return owner;
    this.owners.set(path, agentCallId);
    return undefined;
  }
}
