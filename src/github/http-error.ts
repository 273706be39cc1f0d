/** The status and message of a failed GitHub request, whatever the client threw. */
export function httpErrorOf(error: unknown): { status?: number; message: string } {
  const { status, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    status?: number;
    message?: string;
  };
  return { ...(status !== undefined ? { status } : {}), message: message ?? String(error) };
}
