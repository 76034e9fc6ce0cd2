/** Exit codes shared by the commands (documented in README.md and docs/commands.md). */
export const EXIT = {
  ok: 0,
  notCompleted: 1,
  badInput: 2,
  notFound: 3,
  /** --wait: the load completed but rejected more than its maximum share of rows */
  tooManyRejects: 4,
  /** verify: the admissions were checked, the rejects could not be (no load of the file found) */
  notComparable: 5,
  /** --wait: a mirror load completed, but its archive step was refused (beyond --max-archive) */
  archiveRefused: 6,
  interrupted: 130,
} as const;

/** One exit code for several loads: interrupted, then failed, then too many rejects, then archive refused, else 0. */
export function worstExitCode(codes: readonly number[]): number {
  for (const code of [EXIT.interrupted, EXIT.notCompleted, EXIT.tooManyRejects, EXIT.archiveRefused])
    if (codes.includes(code)) return code;
  return codes.find((c) => c !== EXIT.ok) ?? EXIT.ok;
}
