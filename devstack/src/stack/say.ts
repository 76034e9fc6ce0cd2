/** A line of npm start's own output (its progress and problems), on stderr. */
export const say = (line: string): void => void process.stderr.write(`start: ${line}\n`);
