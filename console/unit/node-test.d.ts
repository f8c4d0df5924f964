// The few Node built-ins the unit tests use, typed by hand so that `tsc` checks the tests without
// pulling in @types/node.

declare module "node:test" {
  type Body = () => void | Promise<void>;
  export function test(name: string, body: Body): Promise<void>;
  export function describe(name: string, body: () => void): void;
  export function afterEach(body: Body): void;
}

declare module "node:assert/strict" {
  interface Assert {
    equal(actual: unknown, expected: unknown, message?: string): void;
    deepEqual(actual: unknown, expected: unknown, message?: string): void;
    notEqual(actual: unknown, expected: unknown, message?: string): void;
    ok(value: unknown, message?: string): asserts value;
    match(value: string, re: RegExp, message?: string): void;
    rejects(promise: Promise<unknown> | (() => Promise<unknown>), expected?: object | ((e: unknown) => boolean), message?: string): Promise<void>;
    throws(fn: () => unknown, expected?: object | ((e: unknown) => boolean), message?: string): void;
  }
  const assert: Assert;
  export default assert;
}
