import { spawnSync } from "node:child_process";
import path from "node:path";
import { listFiles, readText } from "./files.mjs";

function topicsIn(text, pattern) {
  return new Set([...text.matchAll(pattern)].flatMap((m) => m[1].trim().split(/\s+/)));
}

/**
 * Shell scripts parse (bash -n): every file under docker/ that starts with #!, the *.sh scripts under k8s/; and the ACL scripts grant access only to topics that the topic script creates:
 * a renamed topic in one place and not the other would otherwise surface as an authorization error in production.
 */
export function validateScripts(report, root) {
  const scripts = [...listFiles(path.join(root, "docker"), () => true).filter((f) => readText(f).startsWith("#!")),
    ...listFiles(path.join(root, "k8s"), (n) => n.endsWith(".sh"))];
  let parsed = 0;
  for (const script of scripts) {
    const shell = readText(script).startsWith("#!/bin/sh") ? "sh" : "bash";
    const result = spawnSync(shell, ["-n", script], { encoding: "utf8" });
    if (result.error) {
      report.problem(script, `cannot run ${shell} -n: ${result.error.message}`);
    } else if (result.status !== 0) {
      report.problem(script, `${shell} -n: ${result.stderr.trim()}`);
    } else {
      parsed++;
    }
  }
  if (parsed === scripts.length) {
    report.pass(`${parsed} shell scripts parse`);
  }

  const topicScript = path.join(root, "docker", "kafka", "create-topics.sh");
  const created = topicsIn(readText(topicScript), /^create (\S+)/gm);
  let consistent = true;
  for (const aclScript of listFiles(path.join(root, "k8s", "acls"), (n) => n.endsWith(".sh"))) {
    for (const topic of topicsIn(readText(aclScript), /^for topic in ([^;]+);/gm)) {
      if (!created.has(topic)) {
        consistent = false;
        report.problem(aclScript, `grants access to topic ${topic}, which create-topics.sh does not create`);
      }
    }
  }
  if (consistent) {
    report.pass(`ACL scripts name only the ${created.size} topics create-topics.sh creates`);
  }
}
