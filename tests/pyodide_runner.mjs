// Run tests/udfs_examples.py inside Pyodide (Node, no network): node pyodide_runner.mjs
// <pyodide package dir> <wheel> <udfs_examples.py> [<extra wheel or dist folder> ...]
// Prints the JSON of results() on the last line.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, wheel, examples] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: pyodideDir + path.sep, stdout: () => {}, stderr: () => {} });
py.FS.writeFile("/tmp/jixiao_udfs.whl", readFileSync(wheel));
py.globals.set("examples_source", readFileSync(examples, "utf8"));
const out = py.runPython(`
import json, site, sys, zipfile
zipfile.ZipFile("/tmp/jixiao_udfs.whl").extractall(site.getsitepackages()[0])
ns = {}
exec(compile(examples_source, "udfs_examples.py", "exec"), ns)
json.dumps({"python": sys.version.split()[0], "platform": sys.platform, "results": ns["results"]()}, ensure_ascii=False)
`);
console.log(out);
