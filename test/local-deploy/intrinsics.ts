/**
 * Resolution of CloudFormation intrinsic functions, enough for templates the
 * CDK synthesises: Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split,
 * Fn::If, Fn::Base64, Fn::GetAZs, Fn::FindInMap and the condition functions.
 */

/** Where resolution looks names up. */
export interface IntrinsicContext {
  /** The value of `Ref` to a parameter, pseudo parameter or resource. */
  ref(name: string): unknown;
  /** The value of `Fn::GetAtt`. */
  getAtt(logicalId: string, attribute: string): unknown;
  /** The value of a named condition. */
  condition(name: string): boolean;
  /** The value of `Fn::FindInMap`. */
  findInMap?(map: string, topKey: string, secondKey: string): unknown;
}

/** What `Ref: AWS::NoValue` resolves to: the property (or list element) is dropped. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The single key of an intrinsic function object such as `{ "Fn::Join": [...] }`, or undefined. */
function intrinsicName(value: Json): string | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0];
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::') ? key : undefined;
}

function splitGetAtt(argument: unknown): [string, string] {
  if (Array.isArray(argument) && argument.length === 2) return [String(argument[0]), String(argument[1])];
  if (typeof argument === 'string' && argument.includes('.')) {
    const dot = argument.indexOf('.');
    return [argument.slice(0, dot), argument.slice(dot + 1)];
  }
  throw new Error(`Fn::GetAtt: cannot read ${JSON.stringify(argument)}`);
}

/** Replaces `${Name}`, `${Name.Attribute}` and `${!Literal}` in an Fn::Sub string. */
function substitute(text: string, variables: Json, context: IntrinsicContext): string {
  return text.replace(/\$\{([^}]*)\}/g, (_match, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (name in variables) return String(resolveIntrinsics(variables[name], context));
    if (name.includes('.') && !name.startsWith('AWS::')) {
      const [logicalId, attribute] = splitGetAtt(name);
      return String(context.getAtt(logicalId, attribute));
    }
    return String(context.ref(name));
  });
}

function resolveFunction(name: string, argument: unknown, context: IntrinsicContext): unknown {
  const resolve = (value: unknown) => resolveIntrinsics(value, context);
  const list = (value: unknown): unknown[] => {
    const resolved = resolve(value);
    if (!Array.isArray(resolved)) throw new Error(`${name}: expected a list, got ${JSON.stringify(resolved)}`);
    return resolved;
  };
  switch (name) {
    case 'Ref': return context.ref(String(argument));
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = splitGetAtt(resolve(argument));
      return context.getAtt(logicalId, attribute);
    }
    case 'Fn::Join': {
      const [delimiter, parts] = argument as [string, unknown];
      return list(parts).map(String).join(delimiter);
    }
    case 'Fn::Sub': {
      if (typeof argument === 'string') return substitute(argument, {}, context);
      const [text, variables] = argument as [string, Json];
      return substitute(text, variables ?? {}, context);
    }
    case 'Fn::Select': {
      const [index, values] = argument as [unknown, unknown];
      return list(values)[Number(resolve(index))];
    }
    case 'Fn::Split': {
      const [delimiter, text] = argument as [string, unknown];
      return String(resolve(text)).split(delimiter);
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
      return resolve(context.condition(condition) ? whenTrue : whenFalse);
    }
    case 'Fn::Base64': return Buffer.from(String(resolve(argument))).toString('base64');
    case 'Fn::GetAZs': {
      const region = String(resolve(argument) || context.ref('AWS::Region'));
      return ['a', 'b', 'c'].map(zone => `${region}${zone}`);
    }
    case 'Fn::FindInMap': {
      const [map, top, second] = list(argument).map(String);
      if (!context.findInMap) throw new Error('Fn::FindInMap: the template has no Mappings');
      return context.findInMap(map, top, second);
    }
    case 'Condition':
    case 'Fn::Equals':
    case 'Fn::And':
    case 'Fn::Or':
    case 'Fn::Not':
      return evaluateCondition({ [name]: argument }, context);
    default:
      throw new Error(`${name} is not supported by the local deploy`);
  }
}

/** Resolves every intrinsic function in the value; `AWS::NoValue` drops the property or list element. */
export function resolveIntrinsics(value: unknown, context: IntrinsicContext): unknown {
  if (Array.isArray(value)) {
    return value.map(item => resolveIntrinsics(item, context)).filter(item => item !== NO_VALUE);
  }
  if (!isObject(value)) return value;
  const name = intrinsicName(value);
  if (name) return resolveFunction(name, value[name], context);
  const resolved: Json = {};
  for (const [key, item] of Object.entries(value)) {
    const result = resolveIntrinsics(item, context);
    if (result !== NO_VALUE) resolved[key] = result;
  }
  return resolved;
}

/** Evaluates a condition expression (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition). */
export function evaluateCondition(expression: unknown, context: IntrinsicContext): boolean {
  if (typeof expression === 'boolean') return expression;
  if (!isObject(expression)) throw new Error(`Not a condition: ${JSON.stringify(expression)}`);
  const name = intrinsicName(expression);
  const argument = name ? expression[name] : undefined;
  const operands = () => (argument as unknown[]).map(operand => evaluateCondition(operand, context));
  switch (name) {
    case 'Condition': return context.condition(String(argument));
    case 'Fn::Equals': {
      const [left, right] = (argument as unknown[]).map(operand => JSON.stringify(resolveIntrinsics(operand, context)));
      return left === right;
    }
    case 'Fn::And': return operands().every(Boolean);
    case 'Fn::Or': return operands().some(Boolean);
    case 'Fn::Not': return !operands()[0];
    default: throw new Error(`Not a condition function: ${JSON.stringify(expression)}`);
  }
}

/** Every name the value refers to through Ref, Fn::GetAtt or Fn::Sub (parameters and pseudo parameters included). */
export function referencedNames(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach(item => referencedNames(item, found));
    return found;
  }
  if (!isObject(value)) return found;
  const name = intrinsicName(value);
  if (name === 'Ref') found.add(String(value.Ref));
  else if (name === 'Fn::GetAtt') {
    const argument = value['Fn::GetAtt'];
    if (Array.isArray(argument)) found.add(String(argument[0]));
    else if (typeof argument === 'string') found.add(argument.split('.')[0]);
    else referencedNames(argument, found);
  } else if (name === 'Fn::Sub') {
    const argument = value['Fn::Sub'];
    const [text, variables] = typeof argument === 'string' ? [argument, {}] : argument as [string, Json];
    for (const match of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
      if (!(match[1] in (variables ?? {}))) found.add(match[1].startsWith('AWS::') ? match[1] : match[1].split('.')[0]);
    }
    referencedNames(variables, found);
  } else {
    Object.values(value).forEach(item => referencedNames(item, found));
  }
  return found;
}
