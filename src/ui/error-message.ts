// What the UI shows of a failure: the Error's own message, or whatever was thrown, as text.
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
