import { EvolveError } from '@evolve/core';
import type { RenameAnswer, RenameQuestion } from '@evolve/project';

/** Parses `--rename User.name=fullName` / `--rename Client=Customer` flags into a renames map. */
export function parseRenameFlags(flags: readonly string[] = []): Record<string, string> {
  const renames: Record<string, string> = {};
  for (const flag of flags) {
    const m = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)=([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)$/.exec(
      flag.trim(),
    );
    if (!m) {
      throw new EvolveError('INVALID_CONFIG', `--rename expects Model.old=new or Old=New, got "${flag}"`, {
        path: '--rename',
      });
    }
    renames[m[1]!] = m[2]!;
  }
  return renames;
}

/** Asks a rename question on the terminal (only when stdin and stdout are TTYs). */
export function terminalRenameResolver():
  | ((q: RenameQuestion) => Promise<RenameAnswer | undefined>)
  | undefined {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  return async (question) => {
    const prompts = await import('@clack/prompts');
    const what = question.kind === 'model' ? `model ${question.removed}` : `field ${question.removed}`;
    const answer = await prompts.select({
      message: `${what} disappeared. Was it renamed?`,
      options: [
        ...question.candidates.map((c) => ({ value: c, label: `renamed to ${c}` })),
        { value: '\0drop', label: `no: ${question.removed} was dropped (and the new one added)` },
      ],
    });
    if (prompts.isCancel(answer)) return undefined;
    return answer === '\0drop' ? { drop: true } : { rename: String(answer).split('.').at(-1)! };
  };
}
