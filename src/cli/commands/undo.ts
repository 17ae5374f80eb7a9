import type { Command } from 'commander';

/** Placeholder until this command group lands; its owner replaces this file. */
export function registerUndoCommand(_program: Command): void {}
