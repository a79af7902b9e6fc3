import { javaPatternToRegExp } from './java-regex';
import { OPENSEARCH_MODEL } from './service-model';

const matches = (pattern: string, value: string) => javaPatternToRegExp(pattern).test(value);

describe('Java patterns of the model, translated to JavaScript', () => {
  test('every pattern in the committed model translates', () => {
    const patterns = Object.values(OPENSEARCH_MODEL.shapes).flatMap((shape) => (shape.pattern === undefined ? [] : [shape.pattern]));
    expect(patterns.length).toBeGreaterThan(30);
    for (const pattern of patterns) expect(() => javaPatternToRegExp(pattern)).not.toThrow();
  });

  test('the whole value must match, even where the pattern has no anchors', () => {
    expect(matches('[a-z][a-z0-9\\-]+', 'search-domain')).toBe(true);
    expect(matches('[a-z][a-z0-9\\-]+', 'Bad_Domain')).toBe(false);
    expect(matches('[a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*', 'serverlessTest.-dev')).toBe(false);
  });

  test('$ matches before a final line terminator, but the terminator must still be consumed', () => {
    expect(matches('^([FG][0-9]+)$|^(pkg-[a-f0-9]+)$', 'F1\n')).toBe(false);
    expect(matches('^[0-9]+$\\n', '12\n')).toBe(true);
    expect(matches('^[0-9]+$\\r\\n', '12\r\n')).toBe(true);
  });

  test('. excludes Java\'s line terminators, U+0085 among them', () => {
    expect(matches('.*', 'a\u00a0b')).toBe(true);
    for (const terminator of ['\n', '\r', '\u0085', '\u2028', '\u2029']) expect(matches('.*', `a${terminator}`)).toBe(false);
  });

  test('\\s is ASCII whitespace only, also in a class and against \\S', () => {
    expect(matches('\\s', '\u000b')).toBe(true);
    expect(matches('\\s', '\u00a0')).toBe(false);
    expect(matches('\\S', '\u00a0')).toBe(true);
    expect(matches('^([\\s\\S]*)$', 'any\u00a0thing\n')).toBe(true);
    expect(matches('[^a\\S]', ' ')).toBe(true);
    expect(matches('[^a\\S]', '\u00a0')).toBe(false);
    expect(matches('[^a\\S]', 'a')).toBe(false);
  });

  test('POSIX classes are US-ASCII; Unicode categories and scripts are Unicode', () => {
    expect(matches('\\p{XDigit}{8}', 'deadBEEF')).toBe(true);
    expect(matches('\\p{XDigit}', 'g')).toBe(false);
    expect(matches('\\p{Alpha}', 'é')).toBe(false);
    expect(matches('[\\P{Alpha}]', 'é')).toBe(true);
    expect(matches('\\p{L}', 'é')).toBe(true);
    expect(matches('\\p{IsLatin}+', 'Ünïcode')).toBe(true);
    expect(matches('\\p{IsGreek}', 'a')).toBe(false);
  });

  test('escaped punctuation is literal, in and out of classes', () => {
    const filterValue = '^[0-9a-zA-Z\\*\\.\\_\\\\\\/\\?-]+$';
    expect(matches(filterValue, 'a_b.c*d/e\\f?g-h')).toBe(true);
    expect(matches(filterValue, 'a b')).toBe(false);
    expect(matches('aws\\-cn', 'aws-cn')).toBe(true);
    expect(matches('[0-9a-f]{8}\\\\b', '0123abcd\\b')).toBe(true);
  });

  test('constructs without a faithful translation are refused, not approximated', () => {
    for (const pattern of ['a*+', '(?>a)', '(?i)a', '[a[b]]', '[a-z&&[^b]]', '\\p{InGreek}', '\\Ga', '\\R', 'a{', '[]a]']) {
      expect(() => javaPatternToRegExp(pattern)).toThrow(/has no JavaScript translation/);
    }
  });
});
