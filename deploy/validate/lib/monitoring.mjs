import path from "node:path";
import { exists, listFiles, readText, readYaml } from "./files.mjs";
import { exposedPorts } from "./dockerfiles.mjs";

function balanced(expr) {
  const pairs = { ")": "(", "]": "[", "}": "{" };
  const stack = [];
  for (const ch of expr.replace(/"(?:[^"\\]|\\.)*"/g, "")) {
    if ("([{".includes(ch)) {
      stack.push(ch);
    } else if (ch in pairs && stack.pop() !== pairs[ch]) {
      return false;
    }
  }
  return stack.length === 0;
}

/** Micrometer meter names the streams app registers, in Prometheus form (quest.batch.size -> quest_batch_size). */
function meterNames(root) {
  const sources = listFiles(path.join(root, "streams-app", "src", "main", "java"), (n) => n.endsWith(".java"));
  const names = new Set();
  for (const file of sources) {
    for (const match of readText(file).matchAll(/\.builder\("(quest\.[a-z0-9.]+)"/g)) {
      names.add(match[1].replaceAll(".", "_"));
    }
  }
  return { names, sources: sources.length };
}

/**
 * Prometheus scrapes the compose services on the ports their images expose; Grafana's provisioned datasource and
 * dashboard folder match what compose mounts; every dashboard query is well-formed and, where the streams app's
 * sources are present, names only meters the app registers.
 */
export function validateMonitoring(report, root) {
  const dockerDir = path.join(root, "docker");
  const composeFile = path.join(dockerDir, "docker-compose.yml");
  const compose = readYaml(composeFile);
  const services = compose.services ?? {};

  const prometheusFile = path.join(dockerDir, "prometheus", "prometheus.yml");
  report.guard(prometheusFile, () => {
    const before = report.problems.length;
    const config = readYaml(prometheusFile);
    for (const job of config.scrape_configs ?? []) {
      for (const target of (job.static_configs ?? []).flatMap((c) => c.targets ?? [])) {
        const [host, port] = target.split(":");
        if (host === "localhost") {
          continue;
        }
        const service = services[host];
        if (!service) {
          report.problem(prometheusFile, `job ${job.job_name} scrapes ${target}, but compose has no service ${host}`);
          continue;
        }
        const dockerfile = service.build?.dockerfile && path.resolve(dockerDir, service.build.context ?? ".",
          service.build.dockerfile);
        if (dockerfile && exists(dockerfile) && !exposedPorts(readText(dockerfile)).includes(Number(port))) {
          report.problem(prometheusFile, `job ${job.job_name} scrapes port ${port}, which ${host}'s image does not expose`);
        }
      }
    }
    if (report.problems.length === before) {
      report.pass(`${report.relative(prometheusFile)}: every target is a compose service on its exposed port`);
    }
  });

  const grafanaDir = path.join(dockerDir, "grafana");
  report.guard(grafanaDir, () => {
    const before = report.problems.length;
    const uids = new Set(listFiles(path.join(grafanaDir, "provisioning", "datasources"), (n) => n.endsWith(".yml"))
      .flatMap((f) => readYaml(f).datasources ?? []).map((d) => d.uid));
    const mounts = (services.grafana?.volumes ?? []).map((v) => v.split(":"));
    const providerPaths = listFiles(path.join(grafanaDir, "provisioning", "dashboards"), (n) => n.endsWith(".yml"))
      .flatMap((f) => readYaml(f).providers ?? []).map((p) => p.options?.path);
    for (const providerPath of providerPaths) {
      const mount = mounts.find(([, target]) => target === providerPath);
      if (!mount) {
        report.problem(grafanaDir, `dashboard provider path ${providerPath} is not mounted into the grafana service`);
      }
    }
    const { names, sources } = meterNames(root);
    const dashboards = listFiles(path.join(grafanaDir, "dashboards"), (n) => n.endsWith(".json"));
    for (const file of dashboards) {
      const dashboard = JSON.parse(readText(file));
      for (const panel of dashboard.panels ?? []) {
        const where = `panel "${panel.title}"`;
        if (!uids.has(panel.datasource?.uid)) {
          report.problem(file, `${where} uses datasource ${panel.datasource?.uid}, which is not provisioned`);
        }
        if (!panel.targets?.length) {
          report.problem(file, `${where} has no query`);
        }
        for (const t of panel.targets ?? []) {
          if (!t.expr || !balanced(t.expr)) {
            report.problem(file, `${where} query ${t.refId} is empty or unbalanced: ${t.expr}`);
          }
          for (const metric of t.expr?.match(/\bquest_[a-z0-9_]+/g) ?? []) {
            const meter = metric.replace(/_(bucket|sum|count|total|max)$/, "").replace(/_seconds$/, "");
            if (sources > 0 && !names.has(meter)) {
              report.problem(file, `${where} queries ${metric}, but the streams app registers no meter ${meter}`);
            }
          }
        }
      }
    }
    if (report.problems.length === before) {
      report.pass(`docker/grafana: datasource, dashboard provider and ${dashboards.length} dashboard(s) consistent`
        + (sources > 0 ? `; metric names match the streams app's ${names.size} meters` : "; streams app sources absent, metric names not cross-checked"));
    }
  });
}
