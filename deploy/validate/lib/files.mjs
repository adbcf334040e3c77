import fs from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";

export function exists(file) {
  return fs.existsSync(file);
}

export function readText(file) {
  return fs.readFileSync(file, "utf8");
}

/** Every document of a YAML file; a syntax error names the file and line. Merge keys (<<) are resolved. */
export function readYamlDocuments(file) {
  const docs = parseAllDocuments(readText(file), { merge: true, prettyErrors: true });
  const result = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      throw new Error(`YAML: ${doc.errors[0].message}`);
    }
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) {
      result.push(value);
    }
  }
  return result;
}

export function readYaml(file) {
  const docs = readYamlDocuments(file);
  if (docs.length !== 1) {
    throw new Error(`expected one YAML document, found ${docs.length}`);
  }
  return docs[0];
}

/** Files under dir (recursively, build outputs and dependencies aside) whose names satisfy accept, sorted. */
export function listFiles(dir, accept) {
  if (!exists(dir)) {
    return [];
  }
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "target") {
        out.push(...listFiles(full, accept));
      }
    } else if (accept(entry.name)) {
      out.push(full);
    }
  }
  return out.sort();
}

/** KEY=VALUE lines of a Compose env file; comments and blank lines skipped. */
export function readEnvFile(file) {
  const entries = [];
  readText(file).split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) {
      return;
    }
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(trimmed);
    entries.push(match ? { key: match[1], value: match[2], line: index + 1 } : { invalid: trimmed, line: index + 1 });
  });
  return entries;
}
