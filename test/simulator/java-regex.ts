/**
 * Java regular expressions (the dialect of the `pattern` constraints in AWS's botocore models) as JavaScript RegExps
 * with the semantics the service applies: `Pattern.matcher(value).matches()`, the whole value must match. Real
 * refusals show it: CloudFormation refuses the stack name `serverlessTest.-dev` against the unanchored pattern
 * `[a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*`, whose first alternative matches a prefix of it.
 *
 * The translation keeps Java's meaning where the two dialects differ: `.` excludes Java's line terminators (which
 * include U+0085), `$` also matches before a final line terminator, `\s` is ASCII whitespace only, POSIX classes
 * such as `\p{XDigit}` are US-ASCII, and escaped punctuation is a literal. `\b` is JavaScript's ASCII word boundary,
 * as in Java 19 and later. Constructs without a faithful translation (possessive quantifiers, atomic groups, inline
 * flags, nested or intersected classes, Unicode blocks, `\G`, `\R`, `\X`...) throw, so a new pattern in an updated
 * model is noticed rather than silently checked differently.
 */
export function javaPatternToRegExp(pattern: string): RegExp {
  return new RegExp(`^(?:${new JavaPatternTranslator(pattern).translate()})$`, 'u');
}

/** Java's line terminators, for `.` and `$` (the defaults: no DOTALL, no MULTILINE, no UNIX_LINES). */
const LINE_TERMINATORS = '\\n\\r\\u{85}\\u{2028}\\u{2029}';
const ANY_BUT_LINE_TERMINATOR = `[^${LINE_TERMINATORS}]`;
const END_OF_INPUT = `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?$)`;
/** Java's `\s` without UNICODE_CHARACTER_CLASS: `[ \t\n\x0B\f\r]`. */
const JAVA_SPACE = '\\t\\n\\x0B\\f\\r\\x20';

/** Java's POSIX character classes (US-ASCII), as the contents of a JavaScript character class. */
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '\\x21-\\x2F\\x3A-\\x40\\x5B-\\x60\\x7B-\\x7E',
  Graph: '\\x21-\\x7E',
  Print: '\\x20-\\x7E',
  Blank: '\\x20\\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: JAVA_SPACE,
};

/** One member of a character class: a set in JavaScript class syntax, or a complement that class syntax cannot hold. */
type ClassItem = { readonly positive: string } | { readonly complementOf: string };

/** A literal code point, escaped so that it means itself anywhere in a `u` RegExp (in or out of a class). */
function literal(codePoint: number): string {
  const char = String.fromCodePoint(codePoint);
  return /[A-Za-z0-9]/.test(char) ? char : `\\u{${codePoint.toString(16)}}`;
}

class JavaPatternTranslator {
  private readonly chars: readonly string[];
  private position = 0;

  constructor(private readonly pattern: string) {
    this.chars = Array.from(pattern);
  }

  translate(): string {
    let out = '';
    while (!this.atEnd()) out += this.term();
    return out;
  }

  private atEnd(): boolean {
    return this.position >= this.chars.length;
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.position + offset];
  }

  private next(): string {
    const char = this.chars[this.position++];
    if (char === undefined) throw this.unsupported('an unexpected end');
    return char;
  }

  private unsupported(what: string): Error {
    return new Error(`Java pattern ${JSON.stringify(this.pattern)}: ${what} at ${this.position} has no JavaScript translation here`);
  }

  private term(): string {
    const char = this.next();
    switch (char) {
      case '\\': return this.escape();
      case '[': return this.characterClass();
      case '.': return ANY_BUT_LINE_TERMINATOR;
      case '$': return END_OF_INPUT;
      case '^': case '|': case ')': return char;
      case '(': return this.groupOpening();
      case '*': case '+': case '?': return char + this.quantifierMode();
      case '{': return this.counted();
      default: return literal(char.codePointAt(0)!);
    }
  }

  /** After a quantifier: `?` (reluctant) is the same in JavaScript; `+` (possessive) has no equivalent. */
  private quantifierMode(): string {
    if (this.peek() === '?') return this.next();
    if (this.peek() === '+') throw this.unsupported('a possessive quantifier');
    return '';
  }

  private counted(): string {
    const rest = this.chars.slice(this.position).join('');
    const match = /^(\d+)(,\d*)?\}/.exec(rest);
    if (!match) throw this.unsupported('a "{" that is not a quantifier');
    this.position += Array.from(match[0]).length;
    return `{${match[1]}${match[2] ?? ''}}${this.quantifierMode()}`;
  }

  private groupOpening(): string {
    if (this.peek() !== '?') return '(';
    const rest = this.chars.slice(this.position).join('');
    const kind = /^\?(?::|=|!|<=|<!|<[A-Za-z][A-Za-z0-9]*>)/.exec(rest);
    if (!kind) throw this.unsupported('a group kind (atomic group or inline flags)');
    this.position += kind[0].length;
    return `(${kind[0]}`;
  }

  /** An escape outside a character class. */
  private escape(): string {
    const char = this.next();
    switch (char) {
      case 'd': case 'D': case 'w': case 'W': case 'b': case 'B': return `\\${char}`;
      case 's': return `[${JAVA_SPACE}]`;
      case 'S': return `[^${JAVA_SPACE}]`;
      case 'A': return '^';
      case 'z': return '$';
      case 'Z': return END_OF_INPUT;
      case 'p': case 'P': {
        const item = this.property(char === 'P');
        return 'positive' in item ? `[${item.positive}]` : `[^${item.complementOf}]`;
      }
      case 'Q': return this.quoted();
      case 'k': {
        const name = /^<[A-Za-z][A-Za-z0-9]*>/.exec(this.chars.slice(this.position).join(''));
        if (!name) throw this.unsupported('a malformed \\k');
        this.position += name[0].length;
        return `\\k${name[0]}`;
      }
      default:
        if (/[1-9]/.test(char)) return `\\${char}`;
        return literal(this.characterEscape(char));
    }
  }

  /** An escape that stands for one code point (`\t`, `\x41`, `\u0041`, `\0101`, `\cA`, `\.`...). */
  private characterEscape(char: string): number {
    switch (char) {
      case 't': return 0x09;
      case 'n': return 0x0a;
      case 'r': return 0x0d;
      case 'f': return 0x0c;
      case 'a': return 0x07;
      case 'e': return 0x1b;
      case '0': {
        const digits = /^[0-3]?[0-7]{1,2}|^[0-7]/.exec(this.chars.slice(this.position).join(''));
        if (!digits) throw this.unsupported('a malformed octal escape');
        this.position += digits[0].length;
        return parseInt(digits[0], 8);
      }
      case 'x': {
        const rest = this.chars.slice(this.position).join('');
        const hex = /^\{([0-9a-fA-F]+)\}|^([0-9a-fA-F]{2})/.exec(rest);
        if (!hex) throw this.unsupported('a malformed \\x escape');
        this.position += hex[0].length;
        return parseInt(hex[1] ?? hex[2], 16);
      }
      case 'u': {
        const hex = /^[0-9a-fA-F]{4}/.exec(this.chars.slice(this.position).join(''));
        if (!hex) throw this.unsupported('a malformed \\u escape');
        this.position += 4;
        return parseInt(hex[0], 16);
      }
      case 'c': return this.next().charCodeAt(0) ^ 64;
      default:
        if (/[A-Za-z0-9]/.test(char)) throw this.unsupported(`the escape \\${char}`);
        return char.codePointAt(0)!;
    }
  }

  /** `\Q...\E`: everything between is literal. */
  private quoted(): string {
    let out = '';
    while (!this.atEnd() && !(this.peek() === '\\' && this.peek(1) === 'E')) out += literal(this.next().codePointAt(0)!);
    if (!this.atEnd()) this.position += 2;
    return out;
  }

  /** `\p{Name}` or `\P{Name}` (and the one-letter `\pL`). */
  private property(negated: boolean): ClassItem {
    let name: string;
    if (this.peek() === '{') {
      const end = this.chars.indexOf('}', this.position);
      if (end < 0) throw this.unsupported('an unterminated \\p{');
      name = this.chars.slice(this.position + 1, end).join('');
      this.position = end + 1;
    } else {
      name = this.next();
    }
    const posix = POSIX_CLASSES[name];
    if (posix !== undefined) return negated ? { complementOf: posix } : { positive: posix };
    const unicode = this.unicodeProperty(name);
    return { positive: `\\${negated ? 'P' : 'p'}{${unicode}}` };
  }

  /** A Java Unicode property name as an ECMAScript one: a general category, `IsCategory`, `IsScript`, `IsBinaryProperty`. */
  private unicodeProperty(name: string): string {
    const [key, value] = name.includes('=') ? name.split('=', 2) : [undefined, name.replace(/^Is/, '')];
    const candidates = key === undefined
      ? [value, `Script=${value}`]
      : /^(gc|general_category)$/i.test(key) ? [`General_Category=${value}`]
        : /^(sc|script)$/i.test(key) ? [`Script=${value}`] : [];
    for (const candidate of candidates) {
      try {
        new RegExp(`\\p{${candidate}}`, 'u');
        return candidate;
      } catch {
        // not an ECMAScript property name: try the next reading
      }
    }
    throw this.unsupported(`the property \\p{${name}}`);
  }

  /** `[...]`, after the `[`: union of its members, complemented with `^`. */
  private characterClass(): string {
    const negated = this.peek() === '^';
    if (negated) this.position++;
    if (this.peek() === ']') throw this.unsupported('an empty or "]"-first class');
    const items: ClassItem[] = [];
    while (this.peek() !== ']') {
      if (this.atEnd()) throw this.unsupported('an unterminated class');
      items.push(this.classMember());
    }
    this.position++;
    const positives = items.flatMap((item) => ('positive' in item ? [item.positive] : []));
    const complements = items.flatMap((item) => ('complementOf' in item ? [`[^${item.complementOf}]`] : []));
    if (complements.length === 0) return `[${negated ? '^' : ''}${positives.join('')}]`;
    const union = [...(positives.length > 0 ? [`[${positives.join('')}]`] : []), ...complements].join('|');
    return negated ? `(?:(?!${union})[^])` : `(?:${union})`;
  }

  private classMember(): ClassItem {
    const char = this.next();
    if (char === '[') throw this.unsupported('a nested class');
    if (char === '&' && this.peek() === '&') throw this.unsupported('a class intersection');
    let from: number;
    if (char === '\\') {
      const escaped = this.next();
      const set = this.classEscapeSet(escaped);
      if (set) {
        if (this.peek() === '-' && this.peek(1) !== ']') throw this.unsupported('a range from a class escape');
        return set;
      }
      from = this.characterEscape(escaped);
    } else {
      from = char.codePointAt(0)!;
    }
    if (this.peek() !== '-' || this.peek(1) === ']' || this.peek(1) === undefined) return { positive: literal(from) };
    this.position++;
    const endChar = this.next();
    if (endChar === '[') throw this.unsupported('a nested class');
    const to = endChar === '\\' ? this.characterEscapeInRange() : endChar.codePointAt(0)!;
    if (to < from) throw this.unsupported('a reversed range');
    return { positive: `${literal(from)}-${literal(to)}` };
  }

  private characterEscapeInRange(): number {
    const escaped = this.next();
    if (/[dDwWsSpP]/.test(escaped)) throw this.unsupported('a range to a class escape');
    return this.characterEscape(escaped);
  }

  /** A class escape inside `[...]` (`\d`, `\s`, `\p{..}`...), or undefined for an escape of one code point. */
  private classEscapeSet(char: string): ClassItem | undefined {
    switch (char) {
      case 'd': case 'D': case 'w': case 'W': return { positive: `\\${char}` };
      case 's': return { positive: JAVA_SPACE };
      case 'S': return { complementOf: JAVA_SPACE };
      case 'p': case 'P': return this.property(char === 'P');
      case 'b': case 'B': case 'A': case 'z': case 'Z': case 'Q': case 'k': throw this.unsupported(`\\${char} in a class`);
      default: return undefined;
    }
  }
}
