/** A check from lib/validation: an error message, or undefined when the value is valid. */
export type Check = (field: string, value: string) => string | undefined;

/**
 * Reads string properties as CloudFormation delivers them, collecting every
 * problem so that one error can name them all.
 */
export class PropertyReader<K extends string> {
  public readonly problems: string[] = [];

  /** `prefix` is put in front of field names in problems, e.g. `Packages[2].`. */
  public constructor(private readonly properties: Partial<Record<K, unknown>>, private readonly prefix = '') {}

  /** The property's value; undefined (with a problem recorded when required or invalid) otherwise. */
  public text(field: K, required: boolean, check?: Check): string | undefined {
    const value = this.properties[field];
    const name = `${this.prefix}${field}`;
    if (value === undefined || value === '') {
      if (required) this.problems.push(`${name} is required.`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.problems.push(`${name} must be a string, got ${JSON.stringify(value)}.`);
      return undefined;
    }
    return this.valid(name, value, check) ? value : undefined;
  }

  /** Records the check's problem, if any; returns whether the value passed. */
  public valid(field: string, value: string, check?: Check): boolean {
    const problem = check?.(field, value);
    if (problem) this.problems.push(problem);
    return !problem;
  }

  /** Throws one error listing every problem found, if any. */
  public throwIfInvalid(resourceType: string): void {
    if (this.problems.length > 0) throw new Error(`Invalid ${resourceType} properties: ${this.problems.join(' ')}`);
  }
}
