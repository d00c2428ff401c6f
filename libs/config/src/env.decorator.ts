import 'reflect-metadata';

export type EnvKind = 'string' | 'int' | 'bool' | 'list' | 'json';

export interface EnvOptions {
  /** How the raw text is turned into the property's value. */
  kind?: EnvKind;
  /** Secret values are wrapped in Secret, may come from NAME_FILE, and never appear in messages. */
  secret?: boolean;
  /** Used when the variable is absent; a property with no default is required. */
  default?: unknown;
  /** For strings and secrets: the fewest characters accepted. */
  minLength?: number;
  /** A check of the converted value; returns what is wrong ("must be …") or null. */
  check?: (value: unknown) => string | null;
  /** Human words for the error message, e.g. "a path to a PEM file". */
  describe?: string;
}

export interface EnvField extends EnvOptions {
  property: string;
  name: string;
}

const ENV_FIELDS = Symbol('env-fields');

/** Binds a config property to an environment variable (and to NAME_FILE for secrets). */
export function Env(name: string, options: EnvOptions = {}): PropertyDecorator {
  return (target, property) => {
    const fields: EnvField[] = [...(Reflect.getMetadata(ENV_FIELDS, target) ?? [])];
    fields.push({ ...options, property: String(property), name });
    Reflect.defineMetadata(ENV_FIELDS, fields, target);
  };
}

export function envFieldsOf(cls: abstract new () => unknown): EnvField[] {
  return Reflect.getMetadata(ENV_FIELDS, cls.prototype) ?? [];
}
