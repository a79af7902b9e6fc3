/**
 * One JSON line per step, so CloudWatch Logs Insights can filter on any field.
 * Callers pass only the fields they mean to log: never the whole event, which
 * carries CloudFormation's presigned ResponseURL.
 */
export function log(message: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ message, ...fields }));
}
