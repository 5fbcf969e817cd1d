// Starts Python for the page's Python paragraphs: Pyodide (core and standard library only, from
// the npm package that Trunk copies into dist/pyodide/), the bridge to Sluice's session (`bridge`:
// functions made by src/ui/python.rs), and python/studio.py (st_env, z, the Table API, @udf).
// Imported by the engine's worker only when the first Python paragraph runs, so a page without
// Python never loads any of it.

/** `base`: the address dist/ is served at; `bridge`: { execute, collect, columns, stop };
 * `progress(text)`: what is happening, for the paragraph that waits. Resolves to the functions
 * the worker calls: run(code), call(target, argsJson), describe(target). `indexURL` is where
 * Pyodide's files are (a path under Node, for trying the module outside a browser). */
export async function start(base, bridge, progress, indexURL = new URL("pyodide/", base).href) {
  progress("loading Python (Pyodide, about 13 MB the first time)…");
  const { loadPyodide } = await import(new URL("pyodide/pyodide.mjs", base).href);
  const studio = fetch(new URL("python/studio.py", base)).then((r) => {
    if (!r.ok) throw new Error(`python/studio.py: ${r.status} ${r.statusText}`);
    return r.text();
  });
  const pyodide = await loadPyodide({
    indexURL,
    // Only what the npm package ships: never the CDN.
    packages: [],
    stdout: () => {},
    stderr: () => {},
  });
  progress("starting Sluice's Python module…");
  pyodide.registerJsModule("sluice_bridge", bridge);
  pyodide.FS.mkdirTree("/sluice");
  pyodide.FS.writeFile("/sluice/studio.py", await studio);
  pyodide.runPython("import sys\nsys.path.insert(0, '/sluice')\nimport studio");
  const module = pyodide.pyimport("studio");
  const run = module._sluice_run;
  const call = module._sluice_call;
  const describe = module._sluice_describe;
  return {
    version: pyodide.version,
    run: (code) => run(code),
    call: (target, args, rows) => call(target, args, rows),
    describe: (target) => describe(target),
  };
}
