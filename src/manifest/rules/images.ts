import type { Rule } from './context.js';

/**
 * Images built from an ISO (`images[].from`): Windows media only (Get-WindowsImage and
 * Expand-WindowsImage apply an install.wim or install.esd), and one build per image file.
 */
export const checkImages: Rule = (ctx) => {
  const { lab, report } = ctx;
  const builtAt = new Map<string, string>();
  lab.images.forEach((image, i) => {
    // cloud-init configures Linux guests; Windows ones get their answer file and guest tasks.
    if (image.os === 'windows' && ctx.raw.images?.[i]?.cloudInit === true)
      report.error({
        rule: 'cloud-init-windows',
        pointer: `/images/${i}/cloudInit`,
        message: `image ${image.name} is a Windows image: cloudInit applies to Linux images only`,
        hint: 'remove cloudInit, or set os: linux for a Linux image with cloud-init',
      });
    if (!image.from) return;
    if (image.os !== 'windows')
      report.error({
        rule: 'image-from-linux',
        pointer: `/images/${i}/os`,
        message: `image ${image.name} is built from an ISO but has os ${image.os}: labform builds images from Windows installation media only`,
        hint: 'build the Linux disk yourself and name it without from, or set os: windows',
      });
    const key = image.path.toLowerCase();
    const other = builtAt.get(key);
    if (other !== undefined)
      report.error({
        rule: 'image-from-duplicate',
        pointer: `/images/${i}/path`,
        message: `images ${other} and ${image.name} both build ${image.path}`,
        hint: 'give each image built from an ISO its own path',
      });
    else builtAt.set(key, image.name);
  });
};
