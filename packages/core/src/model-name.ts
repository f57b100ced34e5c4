/**
 * The model name evolve pull gives a table: its words in PascalCase (`order_items` -> `OrderItems`), a
 * leading `T` when that would not start with a letter, a number appended when another table took it.
 *
 * @example
 * modelName('order_items', new Set()); // 'OrderItems'
 */
export function modelName(table: string, taken: ReadonlySet<string>): string {
  const words = table.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
  let name = words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('');
  if (!/^[A-Za-z]/.test(name)) name = `T${name}`;
  name = name.slice(0, 60);
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${name}${n}`;
  return candidate;
}
