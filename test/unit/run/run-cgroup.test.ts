import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroup2Mount, createRunCgroup, removeCgroup, runCgroupOf, runCgroupParent, systemCgroupView, type CgroupView } from '../../../src/run/runCgroup';
import { parseLauncherLine, type LauncherEvents } from '../../../src/run/targets/launcherStatus';

/** Whether a run gets a cgroup v2 folder: decided on a fake cgroupfs folder (plain files), never assumed. */

const V1_ONLY = [
  '30 25 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755',
  '31 30 0:27 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,memory',
].join('\n');
const V1_CGROUP = '4:memory:/user.slice\n1:name=systemd:/user.slice/user-1000.slice/session-2.scope\n';

function v2Mount(at: string): string {
  // mountinfo escapes a space in a mount point as \040.
  return `${V1_ONLY}\n40 30 0:37 / ${at.replace(/ /g, '\\040')} rw,relatime shared:11 - cgroup2 cgroup2 rw,nsdelegate`;
}

describe('run cgroup: detection and its fallback', () => {
  let fake: string;
  const own = '/user.slice/user-1000.slice/user@1000.service/app.slice/porta.scope';
  const saved = process.env.PORTA_RUN_CGROUP;

  beforeEach(() => {
    fake = mkdtempSync(join(tmpdir(), 'porta fake cgroupfs-'));
    mkdirSync(join(fake, own), { recursive: true });
    writeFileSync(join(fake, own, 'cgroup.procs'), '');
    delete process.env.PORTA_RUN_CGROUP;
  });
  afterEach(() => {
    rmSync(fake, { recursive: true, force: true });
    if (saved === undefined) delete process.env.PORTA_RUN_CGROUP;
    else process.env.PORTA_RUN_CGROUP = saved;
  });

  const view = (over: Partial<CgroupView> = {}): CgroupView => ({ mountinfo: v2Mount(fake), procCgroup: `${V1_CGROUP}0::${own}\n`, writable: () => true, ...over });

  it('finds the cgroup2 mount (pure or the unified one of a hybrid setup), unescaping its path', () => {
    assert.equal(cgroup2Mount(V1_ONLY), undefined);
    assert.equal(cgroup2Mount(v2Mount(fake)), fake);
  });

  it('cgroup v1 only: no cgroup, with the reason', () => {
    assert.match(runCgroupParent(view({ mountinfo: V1_ONLY })).reason ?? '', /cgroup v1 only/);
    assert.match(runCgroupParent(view({ procCgroup: V1_CGROUP })).reason ?? '', /no cgroup v2 membership/);
    assert.match(createRunCgroup('porta-run-20260101-000000-abcdef', view({ mountinfo: V1_ONLY })).reason ?? '', /cgroup v1 only/);
  });

  it('uses our own v2 cgroup only when it is delegated to us (folder and cgroup.procs writable)', () => {
    assert.equal(runCgroupParent(view()).dir, join(fake, own));
    const notOurs = view({ writable: (path) => !path.endsWith('cgroup.procs') });
    assert.match(runCgroupParent(notOurs).reason ?? '', /not delegated/);
    assert.match(runCgroupParent(view({ writable: () => false })).reason ?? '', /not delegated/);
  });

  it('a membership path missing under the mount (another cgroup namespace) is refused', () => {
    assert.match(runCgroupParent(view({ procCgroup: '0::/elsewhere\n' })).reason ?? '', /not a cgroup folder here/);
  });

  it('a folder the kernel gives no cgroup.kill is removed again; PORTA_RUN_CGROUP=off turns it off', () => {
    const marker = 'porta-run-20260101-000000-abcdef';
    // A plain folder gets no cgroup.kill: what a pre-5.14 kernel looks like.
    assert.match(createRunCgroup(marker, view()).reason ?? '', /no cgroup\.kill/);
    assert.equal(existsSync(join(fake, own, marker)), false, 'the unusable folder was left behind');
    process.env.PORTA_RUN_CGROUP = 'off';
    assert.match(createRunCgroup(marker, view()).reason ?? '', /turned off/);
    assert.equal(existsSync(join(fake, own, marker)), false);
  });

  it("a launcher's cgroup counts only when its folder is named by the run's marker", () => {
    const marker = 'porta-run-20260101-000000-abcdef';
    mkdirSync(join(fake, own, marker));
    for (const file of ['cgroup.procs', 'cgroup.kill']) writeFileSync(join(fake, own, marker, file), '');
    assert.equal(runCgroupOf(1234, marker, view({ procCgroup: `0::${own}/${marker}\n` })), join(fake, own, marker));
    // The user's own session cgroup, or another run's: never the run's.
    assert.equal(runCgroupOf(1234, marker, view()), undefined);
    assert.equal(runCgroupOf(1234, 'porta-run-20260101-000000-000000', view({ procCgroup: `0::${own}/${marker}\n` })), undefined);
  });

  it('on this machine the decision is made from what is there, and a made folder is usable', function () {
    if (process.platform !== 'linux') this.skip();
    const parent = runCgroupParent(systemCgroupView());
    assert.ok(parent.dir !== undefined || parent.reason !== undefined);
    const made = createRunCgroup('porta-run-20260101-000000-fedcba');
    if (!made.dir) return;
    try {
      assert.ok(existsSync(join(made.dir, 'cgroup.kill')));
    } finally {
      removeCgroup(made.dir);
    }
    assert.equal(existsSync(made.dir), false);
  });
});

describe("launcher status lines (porta_reaper.py's fd 3)", () => {
  function parse(line: string): string[] {
    const seen: string[] = [];
    const events: LauncherEvents = {
      noCgroup: (why) => seen.push(`noCgroup ${why}`),
      noSubreaper: (why) => seen.push(`noSubreaper ${why}`),
      ended: (code, signal, startError) => seen.push(`ended ${code} ${signal} ${startError ?? ''}`.trim()),
    };
    parseLauncherLine(line, events);
    return seen;
  }

  it('reads the script end, a signal by name, a start error and what could not be set up', () => {
    assert.deepEqual(parse('exit 3'), ['ended 3 null']);
    assert.deepEqual(parse('signal 15'), ['ended null SIGTERM']);
    assert.deepEqual(parse('error [Errno 2] No such file'), ['ended 127 null could not start the run: [Errno 2] No such file']);
    assert.deepEqual(parse('cgroup failed [Errno 13] Permission denied'), ['noCgroup failed [Errno 13] Permission denied']);
    assert.deepEqual(parse('subreaper failed errno 22'), ['noSubreaper failed errno 22']);
    assert.deepEqual([...parse('cgroup ok'), ...parse('subreaper ok'), ...parse('exit x'), ...parse('')], []);
  });
});
