import { joinPointer } from '../pointer.js';
import { names, type Rule } from './context.js';

/** Every name used must exist (with a suggestion for typos). */
export const checkReferences: Rule = (ctx) => {
  const { lab } = ctx;
  const hostNames = names(lab.hosts);
  const vmNames = names(lab.vms);
  const credentialNames = names(lab.credentials);
  const diskNames = names(lab.disks);
  const networkNames = names(lab.networks);
  lab.clusters.forEach((c, i) =>
    c.nodes.forEach((node, j) =>
      ctx.reference({
        kind: 'host',
        name: node,
        candidates: hostNames,
        pointer: `/clusters/${i}/nodes/${j}`,
        from: `cluster ${c.name}`,
      }),
    ),
  );
  ctx.raw.hosts.forEach((h, i) => {
    if (h.credential !== undefined)
      ctx.reference({
        kind: 'credential',
        name: h.credential,
        candidates: credentialNames,
        pointer: `/hosts/${i}/credential`,
        from: `host ${h.name}`,
      });
  });
  ctx.raw.networks?.forEach((n, i) => {
    if (n.host !== undefined)
      ctx.reference({
        kind: 'host',
        name: n.host,
        candidates: hostNames,
        pointer: `/networks/${i}/host`,
        from: `network ${n.name}`,
      });
    n.hosts?.forEach((h, j) =>
      ctx.reference({
        kind: 'host',
        name: h,
        candidates: hostNames,
        pointer: `/networks/${i}/hosts/${j}`,
        from: `network ${n.name}`,
      }),
    );
    n.portMappings?.forEach((m, j) =>
      ctx.reference({
        kind: 'vm',
        name: m.vm,
        candidates: vmNames,
        pointer: `/networks/${i}/portMappings/${j}/vm`,
        from: `network ${n.name} port mapping ${m.protocol}/${m.externalPort}`,
      }),
    );
  });
  for (const vm of ctx.entryVms) {
    const raw = ctx.rawVm(vm);
    const from = `vm ${ctx.entryName(vm)}`;
    const at = (...path: (string | number)[]) => joinPointer(vm.pointer, ...path);
    if (raw.host !== undefined)
      ctx.reference({ kind: 'host', name: raw.host, candidates: hostNames, pointer: at('host'), from });
    if (raw.cluster !== undefined)
      ctx.reference({
        kind: 'cluster',
        name: raw.cluster,
        candidates: names(lab.clusters),
        pointer: at('cluster'),
        from,
      });
    if (raw.image !== undefined)
      ctx.reference({
        kind: 'image',
        name: raw.image,
        candidates: names(lab.images),
        pointer: at('image'),
        from,
      });
    if (raw.credential !== undefined)
      ctx.reference({
        kind: 'credential',
        name: raw.credential,
        candidates: credentialNames,
        pointer: at('credential'),
        from,
      });
    vm.disks.forEach(
      (d, i) =>
        d.kind === 'disk' &&
        ctx.reference({
          kind: 'disk',
          name: d.disk,
          candidates: diskNames,
          pointer: at('disks', i, 'disk'),
          from,
        }),
    );
    vm.network.forEach((a, i) =>
      ctx.reference({
        kind: 'network',
        name: a.network,
        candidates: networkNames,
        pointer: at('network', i, 'network'),
        from,
      }),
    );
    vm.roles.forEach((role, i) => {
      const p = (key: string, ...rest: (string | number)[]) => at('roles', i, role.kind, key, ...rest);
      const roleFrom = `${from} role ${role.kind}`;
      switch (role.kind) {
        case 'domainController':
          ctx.reference({
            kind: 'credential',
            name: role.domainAdmin,
            candidates: credentialNames,
            pointer: p('domainAdmin'),
            from: roleFrom,
          });
          break; // safeModePassword: see literal-password (a wrong value there may be a password; never echo it)
        case 'domainMember':
          ctx.reference({
            kind: 'credential',
            name: role.joinCredential,
            candidates: credentialNames,
            pointer: p('joinCredential'),
            from: roleFrom,
          });
          break;
        case 'hostGuardianService':
          if (role.join !== undefined)
            ctx.reference({
              kind: 'vm',
              name: role.join,
              candidates: vmNames,
              pointer: p('join'),
              from: roleFrom,
            });
          break;
        case 'guardedHost':
          ctx.reference({
            kind: 'vm',
            name: role.hgs,
            candidates: vmNames,
            pointer: p('hgs'),
            from: roleFrom,
          });
          break;
        case 'dhcpServer':
          role.scopes.forEach((s, j) =>
            ctx.reference({
              kind: 'network',
              name: s.network,
              candidates: networkNames,
              pointer: p('scopes', j, 'network'),
              from: roleFrom,
            }),
          );
          break;
        case 'iscsiTarget':
          role.initiators.forEach((vmName, j) =>
            ctx.reference({
              kind: 'vm',
              name: vmName,
              candidates: vmNames,
              pointer: p('initiators', j),
              from: roleFrom,
            }),
          );
          break;
        case 'script':
          if (role.credential !== undefined)
            ctx.reference({
              kind: 'credential',
              name: role.credential,
              candidates: credentialNames,
              pointer: p('credential'),
              from: roleFrom,
            });
          break;
        default:
          break;
      }
    });
  }
  lab.guestClusters.forEach((g, i) => {
    const from = `guest cluster ${g.name}`;
    g.nodes.forEach((node, j) =>
      ctx.reference({
        kind: 'vm',
        name: node,
        candidates: vmNames,
        pointer: `/guestClusters/${i}/nodes/${j}`,
        from,
      }),
    );
    if (g.witness && 'disk' in g.witness)
      ctx.reference({
        kind: 'disk',
        name: g.witness.disk,
        candidates: diskNames,
        pointer: `/guestClusters/${i}/witness/disk`,
        from,
      });
    g.sharedVolumes.forEach((d, j) =>
      ctx.reference({
        kind: 'disk',
        name: d,
        candidates: diskNames,
        pointer: `/guestClusters/${i}/sharedVolumes/${j}`,
        from,
      }),
    );
  });
};

/** The same name twice within a kind, VMs counted after `count` expansion. */
export const checkDuplicateNames: Rule = (ctx) => {
  const { lab } = ctx;
  const kinds: [string, string, { name: string }[]][] = [
    ['host', 'hosts', lab.hosts],
    ['cluster', 'clusters', lab.clusters],
    ['image', 'images', lab.images],
    ['credential', 'credentials', lab.credentials],
    ['network', 'networks', lab.networks],
    ['disk', 'disks', lab.disks],
    ['guest cluster', 'guestClusters', lab.guestClusters],
  ];
  for (const [kind, section, items] of kinds) {
    const first = new Map<string, number>();
    items.forEach((item, i) => {
      // Hyper-V, Windows and NTFS compare names without case.
      const key = item.name.toLowerCase();
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, i);
      else
        ctx.report.error({
          rule: 'name-duplicate',
          pointer: `/${section}/${i}/name`,
          message: `${kind} ${item.name} is defined twice (also ${section}[${earlier}], line ${ctx.report.positionOf(`/${section}/${earlier}/name`).line})`,
          hint: `give each ${kind} a unique name`,
        });
    });
  }
  const firstVm = new Map<string, string>();
  for (const vm of lab.vms) {
    const key = vm.name.toLowerCase();
    const earlier = firstVm.get(key);
    if (earlier === undefined) firstVm.set(key, vm.pointer);
    else {
      const counted = (ctx.rawVm(vm).count ?? 1) > 1 || earlier === vm.pointer;
      ctx.report.error({
        rule: 'name-duplicate',
        pointer: joinPointer(vm.pointer, 'name'),
        message: `vm ${vm.name} is defined twice${counted ? ' after count expansion' : ''} (also line ${ctx.report.positionOf(joinPointer(earlier, 'name')).line})`,
        hint: 'give each VM a unique name; with count, the name needs {n}',
      });
    }
  }
};

/** A count above 1 needs `{n}` in the name, or every copy would have the same name. */
export const checkCountPlaceholder: Rule = (ctx) => {
  ctx.raw.vms.forEach((raw, i) => {
    for (const key of ['name', 'computerName'] as const) {
      const value = raw[key];
      if (value !== undefined && /[{}]/.test(value.replaceAll('{n}', ''))) {
        ctx.report.error({
          rule: 'count-placeholder',
          pointer: `/vms/${i}/${key}`,
          message: `vm ${raw.name}: ${key} may contain braces only as the {n} placeholder`,
          hint: 'write {n} (lower case) where the copy number goes',
        });
      }
    }
    if ((raw.count ?? 1) > 1 && !raw.name.includes('{n}')) {
      ctx.report.error({
        rule: 'count-placeholder',
        pointer: `/vms/${i}/name`,
        message: `vm ${raw.name} has count ${raw.count} but its name has no {n}`,
        hint: `name it e.g. ${raw.name}{n} (-> ${raw.name}1..${raw.name}${raw.count})`,
      });
    }
    if (raw.computerName !== undefined && (raw.count ?? 1) > 1 && !raw.computerName.includes('{n}')) {
      ctx.report.error({
        rule: 'count-placeholder',
        pointer: `/vms/${i}/computerName`,
        message: `vm ${raw.name} has count ${raw.count} but its computerName ${raw.computerName} has no {n}`,
        hint: 'every copy needs its own computer name: add {n}',
      });
    }
  });
};

/** Cluster placement must name nodes of the cluster (a host without storagePath uses its Hyper-V default folder). */
export const checkPlacement: Rule = (ctx) => {
  const { lab } = ctx;
  ctx.raw.hosts.forEach((h, i) => {
    const connect = lab.hosts[i]?.connect;
    if (h.credential !== undefined && connect?.kind !== 'winrm') {
      ctx.report.error({
        rule: 'host-credential',
        pointer: `/hosts/${i}/credential`,
        message: `host ${h.name}: credential is used by winrm:// and winrms:// connections only (${connect?.kind ?? 'local'} signs in as you${connect?.kind === 'ssh' ? ', with your ssh key' : ''})`,
        hint: 'remove credential:, or connect with winrm://',
      });
    }
    if (connect?.kind === 'winrm' && connect.user !== undefined && h.credential === undefined) {
      ctx.report.error({
        rule: 'host-credential',
        pointer: `/hosts/${i}/connect`,
        message: `host ${h.name}: ${h.connect} names user ${connect.user} but no credential gives its password (labform never prompts)`,
        hint: 'add credential: <name of a credential> to the host',
      });
    }
  });
  for (const vm of ctx.entryVms) {
    const raw = ctx.rawVm(vm);
    if (raw.cluster !== undefined) {
      const cluster = lab.clusters.find((c) => c.name === raw.cluster);
      if (cluster && raw.host !== undefined && !cluster.nodes.includes(raw.host)) {
        ctx.report.error({
          rule: 'cluster-node',
          pointer: joinPointer(vm.pointer, 'host'),
          message: `vm ${ctx.entryName(vm)}: host ${raw.host} is not a node of cluster ${cluster.name} (nodes: ${cluster.nodes.join(', ')})`,
          hint: 'pin the VM to one of the cluster nodes, or drop host:',
        });
      }
    } else if (raw.host === undefined && lab.hosts.length > 1) {
      ctx.report.error({
        rule: 'vm-placement',
        pointer: vm.pointer,
        message: `vm ${ctx.entryName(vm)} has neither host nor cluster, and the lab has ${lab.hosts.length} hosts`,
        hint: `add host: (one of ${names(lab.hosts).join(', ')}) or cluster:`,
      });
    }
  }
};
