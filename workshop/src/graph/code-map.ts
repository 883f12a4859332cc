import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';
import { REGISTRY, Registry } from '@app/registry';

/**
 * What the dependency map shows of the code, read from the sources with the
 * TypeScript compiler (its type checker resolves the constants that name
 * collections, patterns and events), so the map follows the code as it is.
 */

export type ClassRole = 'module' | 'controller' | 'service' | 'repository';

export interface ClassEntry {
  /** Unique within the map: `<process>/<class>`. */
  id: string;
  process: string;
  name: string;
  role: ClassRole;
  /** Repository-relative path of the file declaring it. */
  file: string;
  /** Ids of the classes it declares (a module's controllers) or injects. */
  uses: string[];
  /** Collections it opens, by name. */
  collections: string[];
}

export interface EventFlow {
  event: string;
  /** Processes (or the importer) that record the event. */
  producers: string[];
  /** Processes that apply it. */
  consumers: string[];
}

export interface CodeMap {
  classes: ClassEntry[];
  events: EventFlow[];
}

/** A producer that is not a process of the registry: `npm run import` writes the monolith's database. */
export const IMPORTER = 'importer';

const SOURCE_FOLDERS = ['monolith', 'extracted', 'gateway', 'libs', 'datasets'];

function programOf(root: string): ts.Program {
  const configFile = join(root, 'tsconfig.build.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${configFile}`);
  const files = parsed.fileNames.filter((file) =>
    SOURCE_FOLDERS.some((folder) => relative(root, file).split(sep)[0] === folder),
  );
  return ts.createProgram(files, { ...parsed.options, noEmit: true });
}

function decoratorNames(node: ts.ClassDeclaration): string[] {
  return (ts.getDecorators(node) ?? []).flatMap((decorator) => {
    const call = decorator.expression;
    const callee = ts.isCallExpression(call) ? call.expression : call;
    return ts.isIdentifier(callee) ? [callee.text] : [];
  });
}

function decoratorArgument(node: ts.ClassDeclaration, name: string): ts.Expression | undefined {
  for (const decorator of ts.getDecorators(node) ?? []) {
    const call = decorator.expression;
    if (ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === name) {
      return call.arguments[0];
    }
  }
  return undefined;
}

function roleOf(node: ts.ClassDeclaration, name: string, collections: string[]): ClassRole | undefined {
  const decorators = decoratorNames(node);
  if (decorators.includes('Module')) return 'module';
  if (decorators.includes('Controller')) return 'controller';
  // Repositories alone touch the driver: a class that opens a collection is one, whatever its name.
  if (name.endsWith('Repository') || collections.length > 0) return 'repository';
  if (decorators.includes('Injectable')) return 'service';
  return undefined;
}

/** The string a constant or literal expression holds, when its type is one string literal. */
function literalOf(checker: ts.TypeChecker, expression: ts.Expression): string | undefined {
  const type = checker.getTypeAtLocation(expression);
  return type.isStringLiteral() ? type.value : undefined;
}

function classDeclarationOf(checker: ts.TypeChecker, node: ts.Node): ts.ClassDeclaration | undefined {
  let symbol = checker.getSymbolAtLocation(node);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return symbol?.declarations?.find(ts.isClassDeclaration);
}

function each(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => each(child, visit));
}

/** The process whose folder holds `file`, or the importer for the dataset tools. */
function ownerOf(file: string, registry: Registry): string | undefined {
  const path = file.split(sep).join('/');
  if (path.startsWith('datasets/')) return IMPORTER;
  return Object.entries(registry).find(([, spec]) => path.startsWith(`${spec.root}/`))?.[0];
}

interface Declared {
  node: ts.ClassDeclaration;
  file: string;
}

/** Reads the code of the repository at `root` (its tsconfig.build.json) into a CodeMap. */
export function readCodeMap(root: string, registry: Registry = REGISTRY): CodeMap {
  const program = programOf(root);
  const checker = program.getTypeChecker();
  const sources = program.getSourceFiles().filter((source) => !source.isDeclarationFile);
  const fileOf = (node: ts.Node) => relative(root, node.getSourceFile().fileName);

  const injected = (node: ts.ClassDeclaration): ts.ClassDeclaration[] => {
    const constructor = node.members.find(ts.isConstructorDeclaration);
    return (constructor?.parameters ?? []).flatMap((parameter) => {
      if (!parameter.type || !ts.isTypeReferenceNode(parameter.type)) return [];
      const declaration = classDeclarationOf(checker, parameter.type.typeName);
      return declaration ? [declaration] : [];
    });
  };
  const moduleMembers = (node: ts.ClassDeclaration): ts.ClassDeclaration[] => {
    const metadata = decoratorArgument(node, 'Module');
    if (!metadata || !ts.isObjectLiteralExpression(metadata)) return [];
    return metadata.properties.flatMap((property) => {
      if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) return [];
      if (!['controllers', 'imports'].includes(property.name.text)) return [];
      if (!ts.isArrayLiteralExpression(property.initializer)) return [];
      return property.initializer.elements.flatMap((element) => {
        const declaration = classDeclarationOf(checker, element);
        return declaration ? [declaration] : [];
      });
    });
  };
  const collectionsOf = (node: ts.ClassDeclaration): string[] => {
    const names = new Set<string>();
    each(node, (child) => {
      if (!ts.isCallExpression(child) || child.arguments.length === 0) return;
      const callee = child.expression;
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'collection') return;
      const name = literalOf(checker, child.arguments[0]);
      if (name) names.add(name);
    });
    return [...names].sort();
  };

  // Classes of each process, then the library classes they inject, followed transitively.
  const classes = new Map<string, ClassEntry>();
  const idOf = (process: string, node: ts.ClassDeclaration) => `${process}/${node.name?.text}`;
  const visit = (process: string, { node, file }: Declared): string | undefined => {
    const name = node.name?.text;
    if (!name) return undefined;
    const id = idOf(process, node);
    if (classes.has(id)) return id;
    const collections = collectionsOf(node);
    const role = roleOf(node, name, collections);
    if (!role) return undefined;
    const entry: ClassEntry = { id, process, name, role, file, uses: [], collections };
    classes.set(id, entry);
    const dependencies = role === 'module' ? moduleMembers(node) : injected(node);
    for (const dependency of dependencies) {
      const dependencyFile = fileOf(dependency);
      const owner = ownerOf(dependencyFile, registry);
      // A class of another process is not a dependency a process can have; only its own and library classes.
      if (owner !== undefined && owner !== process) continue;
      const used = visit(process, { node: dependency, file: dependencyFile });
      if (used && !entry.uses.includes(used)) entry.uses.push(used);
    }
    return id;
  };

  const producers = new Map<string, Set<string>>();
  const consumers = new Map<string, Set<string>>();
  const note = (map: Map<string, Set<string>>, event: string | undefined, process: string) => {
    if (!event) return;
    map.set(event, (map.get(event) ?? new Set()).add(process));
  };

  for (const source of sources) {
    const file = relative(root, source.fileName);
    const process = ownerOf(file, registry);
    if (!process) continue;
    each(source, (node) => {
      if (ts.isClassDeclaration(node) && process !== IMPORTER) visit(process, { node, file });
      // Recording an event: domainEvent(EVENTS.x, ...).
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'domainEvent') {
        if (node.arguments[0]) note(producers, literalOf(checker, node.arguments[0]), process);
      }
      // Applying one: a handler keyed by the event's name, or a case of a switch on it.
      if (ts.isComputedPropertyName(node) && ts.isPropertyAssignment(node.parent)) {
        note(consumers, eventName(checker, node.expression), process);
      }
      if (ts.isCaseClause(node)) note(consumers, eventName(checker, node.expression), process);
    });
  }

  const events = [...new Set([...producers.keys(), ...consumers.keys()])].sort().map((event) => ({
    event,
    producers: [...(producers.get(event) ?? [])].sort(),
    consumers: [...(consumers.get(event) ?? [])].sort(),
  }));
  return { classes: [...classes.values()].sort((a, b) => a.id.localeCompare(b.id)), events };
}

/** The name of an event when `expression` is one of EVENTS (declared in libs/contracts). */
function eventName(checker: ts.TypeChecker, expression: ts.Expression): string | undefined {
  if (!ts.isPropertyAccessExpression(expression) || !ts.isIdentifier(expression.expression)) return undefined;
  if (expression.expression.text !== 'EVENTS') return undefined;
  return literalOf(checker, expression);
}
