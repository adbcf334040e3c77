#!/usr/bin/env node
// Validates quest-stream's deployment files without Docker or kubectl:
//   node validate.mjs [--root <repository root>] [--settings <file written by ./quest-stream settings --json>]
// Exit status 0 when every check passes, 1 when any problem was found (each printed as "FAIL <file>: <reason>").
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Report } from "./lib/report.mjs";
import { validateCompose } from "./lib/compose.mjs";
import { validateKubernetes } from "./lib/kubernetes.mjs";
import { validateDockerfiles } from "./lib/dockerfiles.mjs";
import { validateMonitoring } from "./lib/monitoring.mjs";
import { validateScripts } from "./lib/scripts.mjs";
import { validateAppConfig } from "./lib/appconfig.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const rootIndex = process.argv.indexOf("--root");
const root = path.resolve(rootIndex >= 0 ? process.argv[rootIndex + 1] : path.join(here, "..", ".."));
const settingsIndex = process.argv.indexOf("--settings");
const settingsFile = settingsIndex >= 0 ? path.resolve(process.argv[settingsIndex + 1]) : null;

const report = new Report(root);
report.guard("docker/docker-compose.yml", () => validateCompose(report, root));
validateDockerfiles(report, root);
report.guard("docker/prometheus", () => validateMonitoring(report, root));
report.guard("docker/kafka/create-topics.sh", () => validateScripts(report, root));
report.guard("docker/config", () => validateAppConfig(report, root, settingsFile));
await validateKubernetes(report, root);
report.print();
process.exitCode = report.failed ? 1 : 0;
