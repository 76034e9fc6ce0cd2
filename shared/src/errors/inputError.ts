/**
 * Input the command refuses (a file that is not what it must be, a bad option value): the
 * commands exit 2 with its message, which names the cause and never holds patient data.
 */
export class InputError extends Error {
  override name = 'InputError';
}
