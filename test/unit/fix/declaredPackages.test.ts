import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createParser } from '../../../src/core/parse/loader';
import { packagesFromPyproject, packagesFromSetupPy } from '../../../src/core/python/declaredPackages';
import { declaredPackageRoots, packagePlace } from '../../../src/workspace/packageSupport';
import { PYTHON, REPO, porta, runPython } from './helpers';

/**
 * Packages whose folders have no __init__.py, declared in pyproject.toml or setup.py or laid out under src/, get the
 * package's one shared support module too, not a device picker inlined into every module (issue 14).
 */
describe('declared packages: pyproject.toml and setup.py', () => {
  it('pyproject: setuptools packages (with package-dir), packages.find, Poetry and Hatch lists', () => {
    assert.deepEqual(packagesFromPyproject('[tool.setuptools]\npackages = ["flatlib", "flatlib.ops"]\n').roots, ['flatlib', 'flatlib']);
    assert.deepEqual(packagesFromPyproject('[tool.setuptools]\npackage-dir = {"" = "src"}\npackages = ["a"]\n').roots, ['src/a']);
    assert.deepEqual(packagesFromPyproject('[tool.setuptools.packages.find]\nwhere = ["src"]\ninclude = ["mypkg*", "other.*"]\n').roots, ['src/other']);
    assert.deepEqual(packagesFromPyproject('[tool.setuptools.packages.find]\nwhere = ["lib"]\n').searchIn, ['lib']);
    assert.deepEqual(packagesFromPyproject('[tool.poetry]\npackages = [{ include = "po", from = "src" }, { include = "x.py" }]\n').roots, ['src/po']);
    assert.deepEqual(packagesFromPyproject('[tool.hatch.build.targets.wheel]\npackages = ["src/hat"]\n').roots, ['src/hat']);
    assert.deepEqual(packagesFromPyproject('[project]\nname = "x"\n'), { roots: [], searchIn: [] });
    assert.deepEqual(packagesFromPyproject('not toml ['), { roots: [], searchIn: [] });
  });

  it('setup.py (read with tree-sitter): packages=[...], find_packages(include=, where=), find_namespace_packages, package_dir', async () => {
    const parser = await createParser('python');
    const read = (text: string): ReturnType<typeof packagesFromSetupPy> => {
      const tree = parser.parse(text)!;
      try {
        return packagesFromSetupPy(tree.rootNode);
      } finally {
        tree.delete();
      }
    };
    assert.deepEqual(read("from setuptools import setup\nsetup(name='m', packages=['mingpt'])\n").roots, ['mingpt']);
    assert.deepEqual(read("import setuptools\nsetuptools.setup(packages=setuptools.find_packages(include=['dschat']))\n").roots, ['dschat']);
    assert.deepEqual(read("setup(package_dir={'': 'src'}, packages=find_packages(where='src', include=['p.*']))\n").roots, ['src/p']);
    assert.deepEqual(read('setup(packages=find_namespace_packages(include=["hydra_plugins.*"]))\n').roots, ['hydra_plugins']);
    assert.deepEqual(read("setup(package_dir={'': 'src'}, packages=['a', 'a.b'])\n").roots, ['src/a', 'src/a']);
    assert.deepEqual(read('setup(packages=find_packages(exclude=["tests"]))\npackages = ["not_setup"]\n'), { roots: [], searchIn: [] });
  });
});

describe('declared packages: where porta fix puts the shared support module', function () {
  this.timeout(120_000);
  const FIXTURE = path.join(REPO, 'test/fixtures/fix-package-declared');
  let dir: string;
  let first: Awaited<ReturnType<typeof porta>>;
  const read = (file: string): string => fs.readFileSync(path.join(dir, file), 'utf8');
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'porta-declared-'));
    fs.cpSync(FIXTURE, dir, { recursive: true });
    first = await porta(['fix', '.'], dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('packagePlace finds the declared top package of a module without __init__.py', async () => {
    const declared = await declaredPackageRoots();
    assert.deepEqual(packagePlace(path.join(FIXTURE, 'flat/flatlib/ops/kernels.py'), undefined, declared), { root: path.join(FIXTURE, 'flat/flatlib'), from: '.._porta_device' });
    assert.deepEqual(packagePlace(path.join(FIXTURE, 'srclayout/src/srclib/model.py'), undefined, declared), { root: path.join(FIXTURE, 'srclayout/src/srclib'), from: '._porta_device' });
    assert.deepEqual(packagePlace(path.join(FIXTURE, 'setuppy/dslib/utils/helpers.py'), undefined, declared), { root: path.join(FIXTURE, 'setuppy/dslib'), from: '.._porta_device' });
    assert.equal(packagePlace(path.join(FIXTURE, 'setuppy/train.py'), undefined, declared), undefined, 'a script beside setup.py');
  });

  it('each package gets one _porta_device.py; its modules import from it, the script stays inline', () => {
    assert.equal(first.code, 0, first.stderr);
    for (const module of ['flat/flatlib/_porta_device.py', 'srclayout/src/srclib/_porta_device.py', 'setuppy/dslib/_porta_device.py']) {
      assert.match(read(module), /def porta_device\(\):/, module);
    }
    assert.match(read('flat/flatlib/core.py'), /^from \._porta_device import porta_device$/m);
    assert.match(read('flat/flatlib/ops/kernels.py'), /^from \.\._porta_device import porta_device, _porta_device_call$/m);
    assert.match(read('srclayout/src/srclib/model.py'), /^from \._porta_device import porta_device$/m);
    assert.match(read('setuppy/dslib/utils/helpers.py'), /^from \.\._porta_device import porta_device$/m);
    for (const module of ['flat/flatlib/core.py', 'flat/flatlib/ops/kernels.py', 'srclayout/src/srclib/model.py', 'setuppy/dslib/utils/helpers.py']) {
      assert.doesNotMatch(read(module), /def _porta_|DEVICE = /, `${module} defines no support code of its own`);
    }
    assert.doesNotMatch(read('setuppy/train.py'), /_porta_device/, 'a script beside setup.py imports no package support');
  });

  it('the fixed namespace packages import and run on the CPU; pyflakes is silent; a second run changes nothing', async () => {
    const ran = await runPython(['train.py'], { cwd: path.join(dir, 'setuppy') });
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout, '2.0\n');
    const flat = await runPython(['-c', 'import flatlib.core as c, flatlib.ops.kernels as k\nprint(k.scale(c.ones(2), 2).sum().item())'], { cwd: path.join(dir, 'flat') });
    assert.equal(flat.code, 0, flat.stderr);
    assert.equal(flat.stdout, '4.0\n');
    const src = await runPython(['-c', 'import srclib.model as m\nprint(m.build().weight.device.type)'], { cwd: path.join(dir, 'srclayout/src') });
    assert.equal(src.code, 0, src.stderr);
    assert.equal(src.stdout, 'cpu\n');
    const flakes = spawnSync(PYTHON, ['-m', 'pyflakes', '.'], { cwd: dir, encoding: 'utf8' });
    if (!flakes.error && !/No module named pyflakes/.test(flakes.stderr)) assert.equal(`${flakes.stdout}${flakes.stderr}`, '');
    const before = fs.readFileSync(path.join(dir, 'flat/flatlib/ops/kernels.py'), 'utf8');
    const again = await porta(['fix', '.'], dir);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /changed 0 of/);
    assert.equal(read('flat/flatlib/ops/kernels.py'), before);
  });
});
