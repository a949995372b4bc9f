import { describe, expect, it } from 'vitest';
import { mineTemplates, templateId, TemplateMiner } from '../../../functions/core/fingerprint/index.js';
import { collapseRepeats, joinQuoted, mergeValues } from '../../../functions/core/fingerprint/template.js';

/** The mined template of each line. */
function templatesOf(lines: string[]): string[] {
  const { clusters, assignment } = mineTemplates(lines);
  return Array.from(assignment, (c) => clusters[c]!.template);
}

function groupCount(lines: string[]): number {
  return mineTemplates(lines).clusters.length;
}

const USERS = ['admin', 'oracle', 'support', 'webmaster', 'chen', 'test9', 'guest'];

describe('mineTemplates: lines that differ only in variables share a template', () => {
  it('numbers, addresses and times', () => {
    const lines = [
      'Accepted connection from 10.0.0.1:5000 after 20ms',
      'Accepted connection from 10.0.0.7:5123 after 3.5s',
      'Accepted connection from 192.168.1.20:80 after 150ms',
    ];
    expect(new Set(templatesOf(lines))).toEqual(new Set(['Accepted connection from <ip> after <dur>']));
  });

  it('many distinct names in one position', () => {
    const lines = USERS.map((u, i) => `Invalid user ${u} from 10.0.0.${i}`);
    expect(new Set(templatesOf(lines))).toEqual(new Set(['Invalid user <*> from <ip>']));
  });

  it('a name after a naming word, even when few names occur', () => {
    const lines = ['session opened for user cyrus by (uid=0)', 'session opened for user news by (uid=0)', 'session opened for user cyrus by (uid=0)'];
    expect(new Set(templatesOf(lines))).toEqual(new Set(['session opened for user <*> by (uid=<num>)']));
  });

  it('host names, addresses and empty values in one slot', () => {
    const lines = [
      'connection from 24.54.76.216 (24-54-76-216.bflony.adelphia.net) at Fri Jun 17 07:07:00 2005',
      'connection from 222.33.90.199 () at Mon Jun 20 03:40:59 2005',
      'auth failure; rhost=218.188.2.4',
      'auth failure; rhost=zummit.com',
    ];
    expect(templatesOf(lines)).toEqual([
      'connection from <ip> (<*>) at <ts>',
      'connection from <ip> (<*>) at <ts>',
      'auth failure; rhost=<*>',
      'auth failure; rhost=<*>',
    ]);
  });

  it('variable-length lists of values', () => {
    const lines = ['BLOCK* ask 10.0.0.1:50010 to delete blk_-123', 'BLOCK* ask 10.0.0.2:50010 to delete blk_1 blk_2 blk_-3 blk_4'];
    expect(groupCount(lines)).toBe(1);
  });
});

// The shapes below come from the held-out Loghub sets (Thunderbird, Proxifier, Mac, Android:
// Zhu et al., ICSE-SEIP 2019), where each one split a template of hundreds of lines.
describe('mineTemplates: held-out shapes of one template', () => {
  it('numbered names that differ in one letter after a long stem', () => {
    const lines = ['A8', 'B8', 'C5', 'D5', 'A12'].map((n) => `data_thread() got not answer from any [Thunderbird_${n}] datasource`);
    expect(groupCount(lines)).toBe(1);
  });

  it('host names that differ in one letter, wherever it is', () => {
    const lines = ['aadmin1', 'badmin1', 'cadmin2', 'eadmin1'].map((h) => `unable to qualify my own domain name (${h}) -- using short name`);
    expect(groupCount(lines)).toBe(1);
  });

  it('but not numbered names with nothing in common', () => {
    expect(groupCount(['link eth0 is up', 'link wlan1 is up', 'link eth2 is up'])).toBe(2);
  });

  it('a size restated in brackets, or not', () => {
    const lines = [
      'proxy.example.edu:5070 close, 1190 bytes (1.16 KB) sent, 1671 bytes (1.63 KB) received, lifetime 00:02',
      'proxy.example.edu:5070 close, 0 bytes sent, 0 bytes received, lifetime <1 sec',
      'proxy.example.edu:5070 close, 403 bytes sent, 18846 bytes (18.4 KB) received, lifetime <1 sec',
    ];
    expect(new Set(templatesOf(lines))).toEqual(new Set(['<host> close, <size> sent, <size> received, lifetime <*>']));
  });

  it('dotted names of one namespace, even first and even few', () => {
    const lines = ['com.apple.icloud.fmfd.heartbeat', 'com.apple.Safari.SafeBrowsing.Update', 'com.apple.CacheDelete.daily'].map(
      (job, i) => `${job}: scheduler_evaluate_activity told me to run this job; however, but the start time isn't for ${100 + i} seconds.  Ignoring.`,
    );
    expect(groupCount(lines)).toBe(1);
  });

  it('dotted names with a masked value among them, when they are many', () => {
    const jobs = ['com.apple.icloud.fmfd.heartbeat', 'com.apple.Safari.SafeBrowsing.Update', 'com.apple.CacheDelete.daily', 'com.apple.EscrowSecurityAlert.daily', 'com.apple.cts.history', 'com.apple.ical.sync.x-coredata://D1A2/Event/p5'];
    const lines = jobs.map((job) => `${job}: scheduler_evaluate_activity told me to run this job; however, but the start time isn't for 300 seconds.  Ignoring.`);
    expect(groupCount(lines)).toBe(1);
  });

  it('but a few names beside a masked value are constants, each its own message', () => {
    const props: [string, string][] = [['mapred.tip.id', 'mapreduce.task.id'], ['mapred.task.id', 'mapreduce.task.attempt.id'], ['mapred.task.is.map', 'mapreduce.task.ismap'], ['mapred.job.id', 'mapreduce.job.id']];
    expect(groupCount(props.map(([old, now]) => `${old} is deprecated. Instead, use ${now}`))).toBe(4);
  });

  it('booleans, as values of a key or alone', () => {
    expect(groupCount(['updateDimmedActivatedHideSensitive overlap:true', 'updateDimmedActivatedHideSensitive overlap:false'])).toBe(1);
    expect(groupCount(['shouldBlockLocation ret:false', 'shouldBlockLocation ret:true', 'shouldBlockLocation ret:false'])).toBe(1);
    expect(groupCount(['cache enabled true now', 'cache enabled false now'])).toBe(1);
  });

  it('one-token lines of different messages, even when one is a bare value', () => {
    const lines = ['ready=true,policy=3,wakefulness=1', 'ready=false,policy=3,wakefulness=2', 'cancelNotification,index:3', 'cancelNotification,index:7', '12345', '67890'];
    expect(templatesOf(lines).map((t, i, all) => all.indexOf(t))).toEqual([0, 0, 2, 2, 4, 4]);
  });

  it('never lines that share almost nothing, however many words each position holds', () => {
    const messages = ['Starting AirDrop server now', 'BTLE discovered device quickly', 'Setting operation mode here', 'Completed matched on device', 'KSPrefetchAction has no updates', 'Loading offline registry hive'];
    const lines = messages.flatMap((m, i) => [`12:00:0${i}.123 : ${m}`, `13:10:2${i}.456 : ${m}`]);
    expect(groupCount(lines)).toBe(messages.length);
  });

  it('but not the members of an enum, nor names of different namespaces', () => {
    expect(groupCount(['onReceive action: android.intent.action.SCREEN_ON', 'onReceive action: android.intent.action.SCREEN_OFF'])).toBe(2);
    expect(groupCount(['loaded org.example.Alpha', 'loaded com.example.Beta'])).toBe(2);
  });

  it('a quoted value with spaces, and any value of name=', () => {
    const lines = [
      'acquire lock=233570404, flags=0x1, tag="View Lock", name=com.android.systemui, ws=null, uid=10037, pid=2227',
      'acquire lock=166121161, flags=0x1, tag="RILJ_ACK_WL", name=com.android.phone, ws=null, uid=1001, pid=2626',
      'acquire lock=120758482, flags=0x1, tag="*alarm*", name=android, ws=null, uid=1000, pid=1702',
    ];
    expect(groupCount(lines)).toBe(1);
  });

  it('reads a line shortened by collapsing as its text will be read again, whatever the order', () => {
    const lines = ['ports="80 81 82 83 84 85 86 87 88" open', 'ports="80 81 82" open', 'ports="8080" open', 'ports="443" open', 'ports="22" open'];
    const swapped = [lines[1]!, lines[0]!, ...lines.slice(2)];
    const byLine = (ls: string[]) => new Map(ls.map((l, i) => [l, templatesOf(ls)[i]]));
    expect(byLine(swapped)).toEqual(byLine(lines));
  });

  it('but a quote closed nowhere near joins nothing', () => {
    expect(joinQuoted(['tag="View', 'Lock",', 'x'])).toEqual(['tag="View Lock",', 'x']);
    const unclosed = ['say', '"hi', 'there'];
    expect(joinQuoted(unclosed)).toBe(unclosed);
    const far = ['"a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i"'];
    expect(joinQuoted(far)).toBe(far);
    expect(templatesOf(['say "hi there', 'say "hi there'])[0]).toBe('say "hi there');
  });
});

describe('mineTemplates: different messages get different templates', () => {
  it('different wording', () => {
    const lines = ['Connection closed by 10.0.0.1 [preauth]', 'Invalid user admin from 10.0.0.1', 'Did not receive identification string from 10.0.0.1'];
    expect(groupCount(lines)).toBe(3);
  });

  it('a few states or actions in one position', () => {
    const lines = ['Started', 'Paused', 'Resumed', 'Started', 'Resumed']
      .map((s, i) => `[instance: 3f2b8c1e-9d4a-4e6b-8f3a-2c1d0e9f8a7${i}] VM ${s} (Lifecycle Event)`);
    expect(groupCount(lines)).toBe(3);
  });

  it('UPPER_CASE states, however many', () => {
    const states = ['NEW', 'SCHEDULED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'KILLED'];
    const lines = states.slice(1).map((to, i) => `task_${i} Task Transitioned from ${states[i]} to ${to}`);
    expect(groupCount(lines)).toBe(5);
  });

  it('the first word', () => {
    expect(groupCount(['boot (command 1911)', 'wait (command 1975)', 'boot (command 2001)'])).toBe(2);
  });

  it('one-word lines', () => {
    expect(groupCount(['running', 'blocked', 'normal', 'running'])).toBe(3);
  });

  it('same words, different token counts', () => {
    expect(groupCount(['Failed password for root from 1.2.3.4 port 22 ssh2', 'Failed password for invalid user bob from 1.2.3.4 port 22 ssh2'])).toBe(2);
  });
});

describe('mineTemplates: output', () => {
  const lines = ['a 1', '', 'b c', 'a 2', '', 'Invalid user x from 1.2.3.4'];

  it('assigns every line, in order, and counts cluster sizes', () => {
    const { clusters, assignment } = mineTemplates(lines);
    expect(assignment).toHaveLength(lines.length);
    expect(assignment[0]).toBe(assignment[3]);
    expect(assignment[1]).toBe(assignment[4]);
    expect(clusters.reduce((n, c) => n + c.size, 0)).toBe(lines.length);
    expect(clusters[assignment[1]!]!.template).toBe('');
  });

  it('ids are template ids', () => {
    for (const c of mineTemplates(lines).clusters) expect(c.id).toBe(templateId(c.template));
  });

  it('is deterministic and independent of line order', () => {
    const many = Array.from({ length: 200 }, (_, i) => `${['GET', 'POST'][i % 2]} /v2/${i}/servers status: ${200 + (i % 3)} user ${USERS[i % USERS.length]}`);
    const idOf = (input: string[]): Map<string, string> => {
      const { clusters, assignment } = mineTemplates(input);
      return new Map(input.map((l, i) => [l, clusters[assignment[i]!]!.id]));
    };
    const forward = idOf(many);
    expect(idOf(many)).toEqual(forward);
    expect(idOf([...many].reverse())).toEqual(forward);
  });

  it('accepts lines one at a time', () => {
    const miner = new TemplateMiner();
    for (const l of lines) miner.add(l);
    expect(miner.lineCount).toBe(lines.length);
    expect(miner.finish().assignment).toEqual(mineTemplates(lines).assignment);
  });
});

describe('template helpers', () => {
  it('collapse repeated runs holding a placeholder', () => {
    expect(collapseRepeats(['delete', '<id>', '<id>', '<id>'])).toEqual(['delete', '<id>']);
    expect(collapseRepeats(['(', '<num>', '<hex>', '<num>', ')'])).toEqual(['(', '<num>', ')']);
    expect(collapseRepeats(['x', 'iar', '<hex>', 'iar', '<hex>', 'end'])).toEqual(['x', 'iar', '<hex>', 'end']);
    expect(collapseRepeats(['very', 'very', 'big'])).toEqual(['very', 'very', 'big']);
  });

  it('merge values keeping shared punctuation', () => {
    expect(mergeValues(['rhost=<ip>', 'rhost=<host>'])).toBe('rhost=<*>');
    expect(mergeValues(['(<host>)', '()'])).toBe('(<*>)');
    expect(mergeValues(['ftp', 'ftpuser'])).toBe('<*>');
  });
});
