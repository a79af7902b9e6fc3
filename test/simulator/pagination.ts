import { validationError } from './errors';

/** One page of a keyed listing. */
export interface Page<T> {
  readonly items: T[];
  /** Absent on the last page. */
  readonly nextToken?: string;
}

interface TokenContent {
  /** What the listing is of, so a token from one listing is refused by another. */
  readonly scope: string;
  /** Key of the last item already returned. */
  readonly after: string;
}

/**
 * Cuts `items` into pages ordered by `keyOf`. The token records the last key returned rather than an offset,
 * so entries that disappear between pages (finished dissociations) do not make the caller skip others.
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  scope: string,
  maxResults: number,
  token: string | undefined,
): Page<T> {
  const after = token === undefined ? undefined : decodeToken(token, scope);
  const sorted = [...items].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const remaining = after === undefined ? sorted : sorted.filter((item) => compare(keyOf(item), after) > 0);
  const pageItems = remaining.slice(0, maxResults);
  if (remaining.length <= maxResults) return { items: pageItems };
  const last = pageItems[pageItems.length - 1];
  return { items: pageItems, nextToken: encodeToken({ scope, after: keyOf(last) }) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function encodeToken(content: TokenContent): string {
  return Buffer.from(JSON.stringify(content), 'utf8').toString('base64url');
}

function decodeToken(token: string, scope: string): string {
  try {
    const content = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenContent>;
    if (content.scope === scope && typeof content.after === 'string') return content.after;
  } catch {
    // falls through to the error below
  }
  throw validationError('Invalid NextToken');
}
