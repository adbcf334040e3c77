import path from "node:path";
import { listFiles } from "./files.mjs";
import { containersOf, podSpecs, renderKustomization } from "./kustomize.mjs";

/** The kubernetes-models module that holds the model class of an apiVersion. */
function modelModule(apiVersion) {
  if (apiVersion.startsWith("monitoring.coreos.com/")) {
    return `@kubernetes-models/prometheus-operator/${apiVersion}`;
  }
  return `kubernetes-models/${apiVersion}`;
}

/** Validates one object against the Kubernetes OpenAPI schema of its kind; returns the problems. */
async function schemaProblems(object) {
  if (!object.apiVersion || !object.kind) {
    return ["object without apiVersion or kind"];
  }
  let module;
  try {
    module = await import(modelModule(object.apiVersion));
  } catch {
    return [`unknown apiVersion ${object.apiVersion}`];
  }
  const Model = module[object.kind];
  if (!Model) {
    return [`unknown kind ${object.kind} in ${object.apiVersion}`];
  }
  try {
    new Model(structuredClone(object)).validate();
    return [];
  } catch (e) {
    return (e.errors ?? [{ instancePath: "", message: e.message }])
      .map((err) => `${object.kind}/${object.metadata?.name}: ${err.instancePath || "/"} ${err.message}`);
  }
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet", "Pod"]);

function podLabels(object) {
  return object.kind === "Pod" ? object.metadata?.labels ?? {} : object.spec?.template?.metadata?.labels ?? {};
}

function matches(selector, labels) {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

/**
 * Checks that rendered objects refer to each other correctly: what `kubectl apply` accepts but a cluster would
 * then fail on quietly (a Service selecting no pod, a probe on a port the container does not name, a missing
 * ConfigMap, a ServiceMonitor scraping a port its Service lacks).
 */
function referenceProblems(objects) {
  const problems = [];
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const names = (kind) => new Set(byKind(kind).map((o) => o.metadata.name));
  const workloads = objects.filter((o) => WORKLOADS.has(o.kind));
  const configMaps = names("ConfigMap");
  const secrets = names("Secret");
  const claims = names("PersistentVolumeClaim");
  const serviceAccounts = names("ServiceAccount");
  const id = (o) => `${o.kind}/${o.metadata.name}`;

  const seen = new Set();
  for (const o of objects) {
    const key = `${o.kind}/${o.metadata?.namespace ?? ""}/${o.metadata?.name}`;
    if (seen.has(key)) {
      problems.push(`${id(o)} is defined twice`);
    }
    seen.add(key);
  }

  for (const w of workloads) {
    const selector = w.spec?.selector?.matchLabels;
    if (w.kind !== "Pod" && w.kind !== "Job" && w.kind !== "CronJob" && !matches(selector, podLabels(w))) {
      problems.push(`${id(w)}: selector does not match its pod template labels`);
    }
    for (const spec of podSpecs(w)) {
      const volumeNames = new Set([...(spec.volumes ?? []).map((v) => v.name),
        ...(w.spec?.volumeClaimTemplates ?? []).map((t) => t.metadata.name)]);
      if (spec.serviceAccountName && !serviceAccounts.has(spec.serviceAccountName)) {
        problems.push(`${id(w)}: service account ${spec.serviceAccountName} is not defined`);
      }
      for (const v of spec.volumes ?? []) {
        if (v.configMap && !v.configMap.optional && !configMaps.has(v.configMap.name)) {
          problems.push(`${id(w)}: volume ${v.name} uses ConfigMap ${v.configMap.name}, which is not defined`);
        }
        if (v.secret && !v.secret.optional && !secrets.has(v.secret.secretName)) {
          problems.push(`${id(w)}: volume ${v.name} uses Secret ${v.secret.secretName}, which is not defined`);
        }
        if (v.persistentVolumeClaim && !claims.has(v.persistentVolumeClaim.claimName)) {
          problems.push(`${id(w)}: volume ${v.name} uses claim ${v.persistentVolumeClaim.claimName}, which is not defined`);
        }
      }
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
        const portNames = new Set((c.ports ?? []).map((p) => p.name).filter(Boolean));
        const portNumbers = new Set((c.ports ?? []).map((p) => p.containerPort));
        for (const m of c.volumeMounts ?? []) {
          if (!volumeNames.has(m.name)) {
            problems.push(`${id(w)}: container ${c.name} mounts volume ${m.name}, which the pod does not define`);
          }
        }
        for (const source of c.envFrom ?? []) {
          const ref = source.configMapRef ?? source.secretRef;
          const pool = source.configMapRef ? configMaps : secrets;
          if (ref && !ref.optional && !pool.has(ref.name)) {
            problems.push(`${id(w)}: container ${c.name} takes env from ${ref.name}, which is not defined`);
          }
        }
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.configMapKeyRef ?? e.valueFrom?.secretKeyRef;
          const pool = e.valueFrom?.configMapKeyRef ? configMaps : secrets;
          if (ref && !ref.optional && !pool.has(ref.name)) {
            problems.push(`${id(w)}: container ${c.name} env ${e.name} refers to ${ref.name}, which is not defined`);
          }
        }
        for (const probeName of ["startupProbe", "livenessProbe", "readinessProbe"]) {
          const port = c[probeName]?.httpGet?.port ?? c[probeName]?.tcpSocket?.port;
          if (port !== undefined && !(typeof port === "string" ? portNames.has(port) : portNumbers.has(port))) {
            problems.push(`${id(w)}: container ${c.name} ${probeName} uses port ${port}, which the container does not declare`);
          }
        }
      }
    }
  }

  for (const s of byKind("Service")) {
    if (!s.spec?.selector) {
      continue;
    }
    const selected = workloads.filter((w) => matches(s.spec.selector, podLabels(w)));
    if (selected.length === 0) {
      problems.push(`${id(s)}: selector matches no workload`);
      continue;
    }
    const containers = selected.flatMap((w) => containersOf(w));
    for (const p of s.spec.ports ?? []) {
      const target = p.targetPort ?? p.port;
      const found = containers.some((c) => (c.ports ?? []).some((cp) =>
        (typeof target === "string" ? cp.name === target : cp.containerPort === target)));
      if (!found) {
        problems.push(`${id(s)}: port ${p.name ?? p.port} targets ${target}, which no selected container declares`);
      }
    }
  }

  for (const set of byKind("StatefulSet")) {
    const governing = byKind("Service").find((s) => s.metadata.name === set.spec.serviceName);
    if (!governing) {
      problems.push(`${id(set)}: serviceName ${set.spec.serviceName} is not defined`);
    } else if (governing.spec.clusterIP !== "None") {
      problems.push(`${id(set)}: serviceName ${set.spec.serviceName} is not a headless Service`);
    }
  }

  for (const pdb of byKind("PodDisruptionBudget")) {
    if (!workloads.some((w) => matches(pdb.spec?.selector?.matchLabels, podLabels(w)))) {
      problems.push(`${id(pdb)}: selector matches no workload`);
    }
  }

  for (const np of byKind("NetworkPolicy")) {
    const selected = workloads.filter((w) => matches(np.spec?.podSelector?.matchLabels, podLabels(w)));
    if (selected.length === 0) {
      problems.push(`${id(np)}: podSelector matches no workload`);
    }
    const declared = new Set(selected.flatMap((w) => containersOf(w))
      .flatMap((c) => (c.ports ?? []).flatMap((p) => [p.containerPort, p.name])));
    for (const rule of np.spec?.ingress ?? []) {
      (rule.ports ?? []).filter((p) => !declared.has(p.port))
        .forEach((p) => problems.push(`${id(np)}: allows port ${p.port}, which the selected pods do not declare`));
    }
  }

  for (const sm of byKind("ServiceMonitor")) {
    const services = byKind("Service").filter((s) => matches(sm.spec?.selector?.matchLabels, s.metadata.labels));
    if (services.length === 0) {
      problems.push(`${id(sm)}: selector matches no Service`);
      continue;
    }
    for (const endpoint of sm.spec.endpoints ?? []) {
      if (!services.some((s) => (s.spec.ports ?? []).some((p) => p.name === endpoint.port))) {
        problems.push(`${id(sm)}: endpoint port ${endpoint.port} is not a named port of the selected Service`);
      }
    }
  }
  return problems;
}

/**
 * Every kustomization under k8s/ is rendered and each rendered object validated against its Kubernetes schema
 * (kubernetes-models, Prometheus Operator CRDs included) and cross-checked; YAML files no kustomization uses are
 * reported too, since they would never be deployed.
 */
export async function validateKubernetes(report, root) {
  const k8sDir = path.join(root, "k8s");
  const kustomizations = listFiles(k8sDir, (name) => name === "kustomization.yaml").map((f) => path.dirname(f));
  if (kustomizations.length === 0) {
    report.problem(k8sDir, "no kustomization.yaml found");
    return;
  }
  const used = new Set();
  for (const dir of kustomizations) {
    const label = report.relative(path.join(dir, "kustomization.yaml"));
    let rendered;
    try {
      rendered = renderKustomization(dir);
    } catch (e) {
      report.problem(label, e.message);
      continue;
    }
    rendered.problems.forEach((p) => report.problem(label, p.replace(`${root}/`, "")));
    const before = report.problems.length;
    for (const entry of rendered.objects) {
      used.add(entry.source);
      (entry.patchedBy ?? []).forEach((f) => used.add(f));
      const where = entry.patchedBy ? `${label} (rendered)` : entry.source;
      (await schemaProblems(entry.object)).forEach((p) => report.problem(where, p));
    }
    referenceProblems(rendered.objects.map((e) => e.object)).forEach((p) => report.problem(label, p));
    if (report.problems.length === before && rendered.problems.length === 0) {
      const kinds = [...new Set(rendered.objects.map((e) => e.object.kind))].sort().join(", ");
      report.pass(`${label}: ${rendered.objects.length} objects rendered, schema-valid and consistent (${kinds})`);
    }
  }
  const manifests = listFiles(k8sDir, (name) => /\.ya?ml$/.test(name) && name !== "kustomization.yaml");
  manifests.filter((f) => !used.has(f))
    .forEach((f) => report.problem(f, "not used by any kustomization.yaml"));
}
