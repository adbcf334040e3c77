import fs from "node:fs";
import path from "node:path";
import { exists, readYaml, readYamlDocuments } from "./files.mjs";

const SUPPORTED_FIELDS = new Set(["apiVersion", "kind", "namespace", "labels", "resources", "images", "patches"]);
const CLUSTER_SCOPED = new Set(["Namespace", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding",
  "CustomResourceDefinition", "PriorityClass"]);

/**
 * Renders a Kustomize directory the way `kustomize build` does for the features this repository uses: resources
 * (files and nested kustomizations), strategic-merge patches with a target, images, namespace and labels. Fields
 * it does not implement are reported instead of ignored, so nothing escapes validation silently.
 *
 * @returns {{objects: Array<{object: object, source: string}>, problems: string[]}}
 */
export function renderKustomization(dir) {
  const file = path.join(dir, "kustomization.yaml");
  const kustomization = readYaml(file);
  const problems = [];
  const objects = [];
  Object.keys(kustomization).filter((k) => !SUPPORTED_FIELDS.has(k))
    .forEach((k) => problems.push(`${file}: field ${k} is not supported by this validator`));

  for (const resource of kustomization.resources ?? []) {
    const target = path.resolve(dir, resource);
    if (!exists(target)) {
      problems.push(`${file}: resource ${resource} does not exist`);
    } else if (fs.statSync(target).isDirectory()) {
      if (!exists(path.join(target, "kustomization.yaml"))) {
        problems.push(`${file}: resource ${resource} is a directory without kustomization.yaml`);
        continue;
      }
      const nested = renderKustomization(target);
      problems.push(...nested.problems);
      objects.push(...nested.objects);
    } else {
      readYamlDocuments(target).forEach((object) => objects.push({ object, source: target }));
    }
  }

  for (const patch of kustomization.patches ?? []) {
    applyPatch(dir, file, patch, objects, problems);
  }
  for (const image of kustomization.images ?? []) {
    if (setImage(objects, image) === 0) {
      problems.push(`${file}: image ${image.name} matches no container`);
    }
  }
  if (kustomization.namespace) {
    objects.filter(({ object }) => !CLUSTER_SCOPED.has(object.kind))
      .forEach(({ object }) => { object.metadata.namespace = kustomization.namespace; });
  }
  for (const { pairs, includeSelectors } of kustomization.labels ?? []) {
    if (includeSelectors) {
      problems.push(`${file}: labels with includeSelectors are not supported by this validator`);
    }
    objects.forEach(({ object }) => {
      object.metadata.labels = { ...(object.metadata.labels ?? {}), ...pairs };
    });
  }
  return { objects, problems };
}

function applyPatch(dir, file, patch, objects, problems) {
  if (!patch.path) {
    problems.push(`${file}: only patches from a file (path) are supported by this validator`);
    return;
  }
  const patchFile = path.resolve(dir, patch.path);
  if (!exists(patchFile)) {
    problems.push(`${file}: patch ${patch.path} does not exist`);
    return;
  }
  const [body] = readYamlDocuments(patchFile);
  const target = patch.target ?? { kind: body.kind, name: body.metadata?.name };
  const matches = objects.filter(({ object }) => (!target.kind || object.kind === target.kind)
      && (!target.name || object.metadata?.name === target.name));
  if (matches.length === 0) {
    problems.push(`${file}: patch ${patch.path} targets ${target.kind}/${target.name}, which no resource defines`);
    return;
  }
  if (body.kind !== undefined && body.kind !== target.kind) {
    problems.push(`${patchFile}: patch is a ${body.kind} but targets a ${target.kind}`);
  }
  for (const match of matches) {
    const { metadata, ...rest } = body;
    match.object = strategicMerge(match.object, { ...rest, metadata: { ...(metadata ?? {}), name: undefined } });
    match.patchedBy = [...(match.patchedBy ?? []), patchFile];
  }
}

/**
 * Strategic merge for the shapes Kubernetes workloads use: maps merge key by key; lists of objects that all carry
 * a name (containers, volumes, volumeMounts, env, ports) merge by name; other lists are replaced.
 */
export function strategicMerge(base, patch) {
  if (patch === undefined) {
    return base;
  }
  if (Array.isArray(patch)) {
    const named = (list) => Array.isArray(list) && list.every((e) => e && typeof e === "object" && "name" in e);
    if (named(base) && named(patch)) {
      const out = base.map((e) => structuredClone(e));
      for (const element of patch) {
        const index = out.findIndex((e) => e.name === element.name);
        if (index >= 0) {
          out[index] = strategicMerge(out[index], element);
        } else {
          out.push(structuredClone(element));
        }
      }
      return out;
    }
    return structuredClone(patch);
  }
  if (patch === null || typeof patch !== "object" || base === null || typeof base !== "object") {
    return structuredClone(patch);
  }
  const out = structuredClone(base);
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) {
      out[key] = key in out ? strategicMerge(out[key], value) : structuredClone(value);
    }
  }
  return out;
}

export function podSpecs(object) {
  if (object.kind === "Pod") {
    return [object.spec];
  }
  if (object.kind === "CronJob") {
    return [object.spec?.jobTemplate?.spec?.template?.spec].filter(Boolean);
  }
  return [object.spec?.template?.spec].filter(Boolean);
}

export function containersOf(object) {
  return podSpecs(object).flatMap((spec) => [...(spec.initContainers ?? []), ...(spec.containers ?? [])]);
}


function setImage(objects, image) {
  let count = 0;
  for (const { object } of objects) {
    for (const container of containersOf(object)) {
      const name = container.image.replace(/@.*$/, "").replace(/:[^:/]+$/, "");
      if (name === image.name) {
        const newName = image.newName ?? name;
        container.image = image.digest ? `${newName}@${image.digest}` : `${newName}:${image.newTag ?? "latest"}`;
        count++;
      }
    }
  }
  return count;
}
