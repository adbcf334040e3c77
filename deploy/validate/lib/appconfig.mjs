import path from "node:path";
import { instructions } from "./dockerfiles.mjs";
import { listFiles, readEnvFile, readText, readYamlDocuments } from "./files.mjs";

/**
 * The settings the apps read, from the JSON their settings command writes (`./quest-stream settings --json`), or
 * null when no such file was given.
 */
function declaredSettings(settingsFile) {
  if (!settingsFile) {
    return { streams: null, trainer: null };
  }
  const catalogues = JSON.parse(readText(settingsFile));
  return { streams: catalogues["streams-app"] ?? null, trainer: catalogues.trainer ?? null };
}

/** The catalogue's rule (Catalogue.keyForEnvironmentVariable): a setting's or former key's variable, a member of a
 * family of keys, else the rest of the name lower-cased with '_' as '.'. */
function keyOf(variable, catalogue) {
  const toVariable = (key) => `${catalogue.environmentPrefix}${key.toUpperCase().replace(/[.-]/g, "_")}`;
  for (const s of catalogue.settings) {
    if (s.key.includes("<slug>")) {
      const [before, after] = s.environmentVariable.split("<SLUG>");
      if (variable.startsWith(before) && variable.endsWith(after) && variable.length > before.length + after.length) {
        return { key: s.key, setting: true };
      }
    } else if (s.environmentVariable === variable || s.formerKeys.some((f) => toVariable(f) === variable)) {
      return { key: s.key, setting: true };
    }
  }
  return { key: variable.slice(catalogue.environmentPrefix.length).toLowerCase().replace(/_/g, "."), setting: false };
}

/** A key that is no setting is read only when the catalogue hands it on (to Kafka, the serdes). For the streams app,
 * a key under the first part of one of its settings' keys (batch., history., ...) is a misspelt setting too: it would
 * go to Kafka as an unknown key and be ignored. */
function isRead(key, catalogue) {
  if (catalogue.settings.some((s) => s.key === key || s.formerKeys.includes(key))) {
    return true;
  }
  const underPrefix = catalogue.prefixes.some((p) => key.startsWith(p));
  if (catalogue.handsOnOnlyUnderPrefixes) {
    return underPrefix;
  }
  const settingParts = new Set(catalogue.settings.map((s) => `${s.key.split(".")[0]}.`));
  return !underPrefix && ![...settingParts].some((p) => key.startsWith(p));
}

function propertiesKeys(text) {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split(/[=:]/)[0].trim());
}

/**
 * The deployment's settings name keys the apps really read: QUEST_* variables in the images, env files, ConfigMaps
 * and Secrets, and model.* keys in properties files, checked against the settings the apps declare (the JSON of
 * their settings command). Runs only for apps whose settings were given.
 */
export function validateAppConfig(report, root, settingsFile) {
  const { streams, trainer } = declaredSettings(settingsFile);
  const sources = [];
  for (const file of listFiles(path.join(root, "docker", "config"), (n) => n.endsWith(".env"))) {
    readEnvFile(file).filter((e) => e.key).forEach((e) => sources.push({ file, variable: e.key }));
  }
  for (const file of listFiles(path.join(root, "docker"), (n) => n.endsWith(".Dockerfile"))) {
    for (const env of instructions(readText(file)).filter((i) => i.keyword === "ENV")) {
      [...env.args.matchAll(/\b(QUEST_[A-Z0-9_]+)=/g)].forEach((m) => sources.push({ file, variable: m[1] }));
    }
  }
  for (const file of listFiles(path.join(root, "docker", "config"), (n) => n.endsWith(".properties"))) {
    propertiesKeys(readText(file)).forEach((key) => sources.push({ file, property: key }));
  }
  for (const file of listFiles(path.join(root, "k8s"), (n) => n.endsWith(".yaml") && n !== "kustomization.yaml")) {
    for (const object of readYamlDocuments(file).filter((o) => o.kind === "ConfigMap" || o.kind === "Secret")) {
      for (const [name, value] of Object.entries({ ...(object.data ?? {}), ...(object.stringData ?? {}) })) {
        if (name.endsWith(".properties")) {
          propertiesKeys(value).forEach((key) => sources.push({ file, property: key }));
        } else {
          sources.push({ file, variable: name });
        }
      }
    }
  }
  let checked = 0;
  for (const { file, variable, property } of sources) {
    if (variable?.startsWith("QUEST_TRAINER_")) {
      if (trainer) {
        checked++;
        const { key, setting } = keyOf(variable, trainer);
        if (!setting && !isRead(key, trainer)) {
          report.problem(file, `${variable} sets ${key}, which the trainer does not read`);
        }
      }
    } else if (variable?.startsWith("QUEST_")) {
      if (streams) {
        checked++;
        const { key, setting } = keyOf(variable, streams);
        if (!setting && !isRead(key, streams)) {
          report.problem(file, key.startsWith("model.")
            ? `${variable} maps to ${key}, which is no model setting`
            : `${variable} maps to ${key}, which is no streams-app setting (it would go to Kafka)`);
        }
      }
    } else if (property?.startsWith("model.") && streams) {
      checked++;
      if (!streams.settings.some((s) => s.key === property)) {
        report.problem(file, `${property} is not a model setting of the streams app`);
      }
    }
  }
  const absent = [!streams && "streams-app", !trainer && "trainer"].filter(Boolean);
  const notChecked = absent.length
    ? `; not cross-checked: ${absent.join(", ")} (no --settings file from ./quest-stream settings --json)` : "";
  report.pass(`${checked} configured keys match the apps' declared settings${notChecked}`);
}
