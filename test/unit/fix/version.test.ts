import * as assert from 'node:assert/strict';
import { lowerBound, torchVersionFromManifest, versionAtLeast } from '../../../src/core/fix/version';

describe('fix: declared torch version', () => {
  it('reads requirements files, ignoring comments, options and other packages', () => {
    const text = '# deps\n--extra-index-url https://download.pytorch.org/whl/cu121\nnumpy>=1.24\ntorch==2.1.0+cu121  # pinned\n';
    assert.equal(torchVersionFromManifest('requirements.txt', text), '2.1.0');
    assert.equal(torchVersionFromManifest('requirements-dev.txt', 'torch>=2.4,<3\n'), '2.4.0');
    assert.equal(torchVersionFromManifest('requirements.txt', 'torchvision==0.16\n'), undefined);
    assert.equal(torchVersionFromManifest('requirements.txt', 'torch\n'), undefined);
  });

  it('reads pyproject.toml (PEP 621 and Poetry) and environment.yml', () => {
    assert.equal(torchVersionFromManifest('pyproject.toml', '[project]\ndependencies = ["numpy", "torch>=2.6.0"]\n'), '2.6.0');
    assert.equal(torchVersionFromManifest('pyproject.toml', '[tool.poetry.dependencies]\ntorch = "^2.2"\n'), '2.2.0');
    assert.equal(torchVersionFromManifest('pyproject.toml', '[tool.poetry.dependencies]\ntorch = { version = "~2.3.1", source = "pt" }\n'), '2.3.1');
    assert.equal(torchVersionFromManifest('environment.yml', 'dependencies:\n  - python=3.11\n  - pytorch::pytorch=2.5.1=py3.11_cuda12.1\n'), '2.5.1');
    assert.equal(torchVersionFromManifest('environment.yaml', 'dependencies:\n  - pip:\n    - torch==1.13.1\n'), '1.13.1');
  });

  it('compares versions; an unknown version is never new enough', () => {
    assert.equal(versionAtLeast('2.6.0', '2.6'), true);
    assert.equal(versionAtLeast('2.10', '2.9'), true);
    assert.equal(versionAtLeast('1.13.0a0', '2.3'), false);
    assert.equal(versionAtLeast(undefined, '1.0'), false);
    assert.equal(lowerBound('>2.1'), undefined);
  });
});
