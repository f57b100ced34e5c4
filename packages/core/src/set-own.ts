/**
 * Sets `record[key]` as an own data property, so names such as `__proto__` stay data instead of replacing the
 * record's prototype (a plain assignment to `__proto__` calls the inherited setter).
 *
 * @example
 * setOwn(fields, '__proto__', field); // Object.keys(fields) includes '__proto__'; fields.__proto__ is still Object.prototype
 */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
