import * as ts from 'typescript';

/**
 * Adds or removes one entry of an exported object literal in a TypeScript
 * source (`export const REGISTRY = { ... }`), found with the compiler's
 * parser rather than by matching text. An entry is added as whole lines and
 * removed as the same whole lines, so adding then removing gives the file
 * back byte for byte.
 */

function objectLiteralOf(source: ts.SourceFile, constant: string): ts.ObjectLiteralExpression {
  let found: ts.ObjectLiteralExpression | undefined;
  const unwrap = (expression: ts.Expression): ts.Expression =>
    ts.isAsExpression(expression) || ts.isSatisfiesExpression(expression) ? unwrap(expression.expression) : expression;
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== constant || !declaration.initializer)
        continue;
      const value = unwrap(declaration.initializer);
      if (ts.isObjectLiteralExpression(value)) found = value;
    }
  }
  if (!found) throw new Error(`${source.fileName}: no object literal named ${constant}`);
  return found;
}

function keyOf(property: ts.ObjectLiteralElementLike): string | undefined {
  const name = property.name;
  if (!name) return undefined;
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

function parse(text: string, fileName: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
}

/** The keys of the object literal `constant`, in order. */
export function objectKeys(text: string, fileName: string, constant: string): string[] {
  return objectLiteralOf(parse(text, fileName), constant).properties.flatMap((p) => keyOf(p) ?? []);
}

const lineStart = (text: string, at: number) => text.lastIndexOf('\n', at - 1) + 1;
const nextLine = (text: string, at: number) => {
  const end = text.indexOf('\n', at);
  return end === -1 ? text.length : end + 1;
};

/**
 * Inserts `entryText` (whole lines, each ending in a newline, the entry's
 * trailing comma included) after the entry `after`, or as the last entry.
 */
export function insertEntry(
  text: string,
  fileName: string,
  constant: string,
  entryText: string,
  after?: string,
): string {
  const literal = objectLiteralOf(parse(text, fileName), constant);
  const properties = literal.properties;
  const anchor = after ? properties.find((p) => keyOf(p) === after) : properties[properties.length - 1];
  if (!anchor) throw new Error(`${fileName}: ${constant} has no entry ${after}`);
  // After the anchor's line (with its trailing comma, which the sources always have).
  const at = nextLine(text, anchor.getEnd());
  return text.slice(0, at) + entryText + text.slice(at);
}

/** Removes the entry `key` and the whole lines it spans; the text is unchanged when there is none. */
export function removeEntry(text: string, fileName: string, constant: string, key: string): string {
  const literal = objectLiteralOf(parse(text, fileName), constant);
  const property = literal.properties.find((p) => keyOf(p) === key);
  if (!property) return text;
  const from = lineStart(text, property.getStart());
  const to = nextLine(text, property.getEnd());
  return text.slice(0, from) + text.slice(to);
}
