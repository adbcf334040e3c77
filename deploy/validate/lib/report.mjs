import path from "node:path";

/** Collects what every check found; a run fails when any problem was recorded. */
export class Report {
  constructor(root) {
    this.root = root;
    this.problems = [];
    this.passed = [];
  }

  /** Records a problem in a file (absolute or root-relative path). */
  problem(file, message) {
    this.problems.push({ file: this.relative(file), message });
  }

  /** Records a check that ran, with what it covered. */
  pass(check) {
    this.passed.push(check);
  }

  relative(file) {
    return path.isAbsolute(file) ? path.relative(this.root, file) : file;
  }

  /** Runs a check; an exception inside it (unreadable YAML, say) becomes a problem of that file, not a crash. */
  guard(file, check) {
    try {
      check();
    } catch (e) {
      this.problem(file, e.message);
    }
  }

  print(out = console) {
    for (const check of this.passed) {
      out.log(`ok   ${check}`);
    }
    for (const { file, message } of this.problems) {
      out.log(`FAIL ${file}: ${message}`);
    }
    out.log(this.problems.length === 0
      ? `${this.passed.length} checks passed`
      : `${this.problems.length} problem(s) found`);
  }

  get failed() {
    return this.problems.length > 0;
  }
}
