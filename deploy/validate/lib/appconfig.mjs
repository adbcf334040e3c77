import path from "node:path";
import { instructions } from "./dockerfiles.mjs";
import { listFiles, readEnvFile, readText, readYamlDocuments } from "./files.mjs";

/** Prefixes of the streams app's own settings: a QUEST_ variable that maps under one of them but names no setting
 * would be passed to Kafka as an unknown key and silently ignored. */
const STREAMS_SETTING_PREFIXES = ["topics.", "batch.", "history.", "validation.", "moderation.", "embeddings.",
  "weights.", "http.", "shutdown.", "model."];

function javaSource(root, module, fileName) {
  return listFiles(path.join(root, module, "src", "main", "java"), (n) => n === fileName)[0];
}

/** The settings the apps declare in their sources, or null for an app whose sources are not in the tree. */
function declaredSettings(root) {
  const settings = javaSource(root, "streams-app", "Settings.java");
  const model = javaSource(root, "streams-app", "ModelSettings.java");
  const trainer = javaSource(root, "trainer", "TrainerConfig.java");
  const streams = settings && {
    keys: new Set([...readText(settings).matchAll(/new Setting\("([^"<>]+)"/g)].map((m) => m[1])
      .concat([...readText(settings).matchAll(/\btopic\("([^"]+)"/g)].map((m) => `topics.${m[1]}`))),
    modelKeys: new Set(model ? [...readText(model).matchAll(/"(model\.[a-z0-9.-]+)"/g)].map((m) => m[1]) : []),
  };
  const trainerKeys = trainer && new Set([...readText(trainer).matchAll(/Map\.entry\("([^"]+)"/g)].map((m) => m[1]));
  return { streams, trainer: trainerKeys };
}

/** ConfigLoader's rule: an application setting by its exact variable name, else a key with '_' as '.'. */
function streamsKeyOf(variable, streams) {
  for (const key of streams.keys) {
    if (`QUEST_${key.toUpperCase().replace(/[.-]/g, "_")}` === variable) {
      return { key, known: true };
    }
  }
  if (/^QUEST_MODERATION_ATTRIBUTE_.+_MIN$/.test(variable)) {
    return { key: variable, known: true };
  }
  const key = variable.slice("QUEST_".length).toLowerCase().replace(/_/g, ".");
  return { key, known: key.startsWith("model.") ? streams.modelKeys.has(key)
    : !STREAMS_SETTING_PREFIXES.some((p) => key.startsWith(p)) };
}

function trainerKeyOf(variable, trainerKeys) {
  const key = variable.slice("QUEST_TRAINER_".length).toLowerCase().replace(/_/g, ".");
  return { key, known: trainerKeys.has(key) || key.startsWith("kafka.") || key.startsWith("serde.") };
}

function propertiesKeys(text) {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split(/[=:]/)[0].trim());
}

/**
 * The deployment's settings name keys the apps really read: QUEST_* variables in the images, env files, ConfigMaps
 * and Secrets, and model.* keys in properties files, checked against the settings declared in the apps' sources. Runs
 * only for apps whose sources are in the tree.
 */
export function validateAppConfig(report, root) {
  const { streams, trainer } = declaredSettings(root);
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
        const { key, known } = trainerKeyOf(variable, trainer);
        if (!known) {
          report.problem(file, `${variable} sets ${key}, which the trainer does not read`);
        }
      }
    } else if (variable?.startsWith("QUEST_")) {
      if (streams) {
        checked++;
        const { key, known } = streamsKeyOf(variable, streams);
        if (!known) {
          report.problem(file, key.startsWith("model.")
            ? `${variable} maps to ${key}, which is no model setting (dashed model keys need a properties file)`
            : `${variable} maps to ${key}, which is no streams-app setting (it would go to Kafka)`);
        }
      }
    } else if (property?.startsWith("model.") && streams) {
      checked++;
      if (!streams.modelKeys.has(property)) {
        report.problem(file, `${property} is not a model setting of the streams app`);
      }
    }
  }
  const absent = [!streams && "streams-app", !trainer && "trainer"].filter(Boolean);
  const notChecked = absent.length ? `; not cross-checked: ${absent.join(", ")} (sources absent)` : "";
  report.pass(`${checked} configured keys match the apps' declared settings${notChecked}`);
}
