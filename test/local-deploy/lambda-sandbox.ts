import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import { format } from 'util';

/** Options of a {@link LambdaSandbox}. */
export interface LambdaSandboxOptions {
  /** The function's environment: what its code sees as `process.env`. */
  readonly env: Record<string, string>;
  /** Receives every line the code writes through `console`. */
  readonly writeLog: (level: string, text: string) => void;
  /**
   * Where to look up packages the code's own directory cannot provide, as the
   * Lambda Node.js runtime provides the AWS SDK. Default: this directory.
   */
  readonly fallbackResolveFrom?: string;
}

/** A loaded CommonJS module. */
interface LoadedModule {
  exports: unknown;
}

type ModuleWrapper = (
  exports: unknown, require: (id: string) => unknown, module: LoadedModule,
  filename: string, dirname: string, console: Console, process: NodeJS.Process,
) => void;

/**
 * One Lambda execution environment: the function's code loaded the way the
 * Lambda runtime loads it (CommonJS, once per environment, module state kept
 * between invocations), with its own `process.env` and a `console` whose lines
 * are captured.
 *
 * Every `.js` file of the code (the handler and what it requires by relative
 * path) gets a module instance of its own in this environment; Node built-ins
 * and packages are shared with the host.
 */
export class LambdaSandbox {
  /** The `process` the code sees: the host's, with the function's environment. */
  public readonly process: NodeJS.Process;
  /** The `console` the code sees. */
  public readonly console: Console;
  private readonly modules = new Map<string, LoadedModule>();
  private readonly fallbackRequire: NodeJS.Require;

  public constructor(options: LambdaSandboxOptions) {
    const env = { ...options.env };
    // Warnings go to the function's log, as they would in Lambda, not to the host's stderr.
    const emitWarning = (warning: string | Error) => options.writeLog('WARN', String(warning instanceof Error ? `${warning.name}: ${warning.message}` : warning));
    this.process = new Proxy(process, {
      get: (target, key) => key === 'env' ? env : key === 'emitWarning' ? emitWarning : Reflect.get(target, key),
    });
    this.console = sandboxConsole(options.writeLog);
    this.fallbackRequire = createRequire(path.join(options.fallbackResolveFrom ?? __dirname, 'noop.js'));
  }

  /**
   * The exports of the file, loaded on first use. Later calls, and relative
   * `require`s from code of this sandbox, return the same module instance.
   */
  public load(file: string): unknown {
    const filename = path.resolve(file);
    const cached = this.modules.get(filename);
    if (cached) return cached.exports;
    const module: LoadedModule = { exports: {} };
    this.modules.set(filename, module);
    try {
      if (filename.endsWith('.json')) {
        module.exports = JSON.parse(fs.readFileSync(filename, 'utf8'));
      } else {
        this.compile(filename)(module.exports, this.requireFrom(filename), module, filename, path.dirname(filename), this.console, this.process);
      }
    } catch (error) {
      this.modules.delete(filename);
      throw error;
    }
    return module.exports;
  }

  private compile(filename: string): ModuleWrapper {
    const source = fs.readFileSync(filename, 'utf8').replace(/^#!.*/, '');
    return new Function(
      'exports', 'require', 'module', '__filename', '__dirname', 'console', 'process',
      `${source}\n//# sourceURL=${filename}`,
    ) as ModuleWrapper;
  }

  private requireFrom(filename: string): (id: string) => unknown {
    const hostRequire = createRequire(filename);
    return (id: string) => {
      if (id === 'process' || id === 'node:process') return this.process;
      if (id.startsWith('.') || path.isAbsolute(id)) return this.load(hostRequire.resolve(id));
      try {
        return hostRequire(id);
      } catch (error) {
        try {
          return this.fallbackRequire(id);
        } catch {
          throw error;
        }
      }
    };
  }
}

function sandboxConsole(writeLog: (level: string, text: string) => void): Console {
  const writer = (level: string) => (...args: unknown[]) => writeLog(level, format(...args));
  const methods = { log: writer('INFO'), info: writer('INFO'), debug: writer('DEBUG'), trace: writer('TRACE'), warn: writer('WARN'), error: writer('ERROR') };
  return new Proxy(console, { get: (target, key) => (methods as Record<string | symbol, unknown>)[key] ?? Reflect.get(target, key) });
}
