// Writes a copy of the package's jsii assembly with one API element removed,
// so that the release rehearsal can show that scripts/release/api-diff.sh
// fails on a breaking change and passes once allowed-breaking-changes.txt
// lists it. The element is the first static method of a class (nothing else
// in an assembly refers to one), or else the last member of the first enum.
//
//   npx ts-node scripts/release/remove-api-element.ts OUTDIR
//
// OUTDIR must lie inside the repository, so that the copy resolves aws-cdk-lib
// and constructs from its node_modules. Prints the jsii-diff key of the removal.
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

function main(outdir: string): void {
  const assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8'));
  if (assembly.schema === 'jsii/file-redirect') throw new Error('.jsii is a redirect to a compressed assembly: read it from its target');
  const types = Object.values<any>(assembly.types).sort((a, b) => a.fqn.localeCompare(b.fqn));

  let key: string | undefined;
  const withStatic = types.find((type) => type.kind === 'class' && (type.methods ?? []).some((method: any) => method.static));
  if (withStatic) {
    const method = withStatic.methods.find((m: any) => m.static);
    withStatic.methods = withStatic.methods.filter((m: any) => m !== method);
    key = `removed:${withStatic.fqn}.${method.name}`;
  } else {
    const enumType = types.find((type) => type.kind === 'enum' && type.members.length > 1);
    if (!enumType) throw new Error('the assembly has no static method and no enum with two members to remove');
    const member = enumType.members.pop();
    key = `removed:${enumType.fqn}.${member.name}`;
  }

  fs.mkdirSync(outdir, { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(outdir, 'package.json'));
  fs.writeFileSync(path.join(outdir, '.jsii'), JSON.stringify(assembly, null, 2));
  console.log(key);
}

const [outdir] = process.argv.slice(2);
if (!outdir) {
  console.error('usage: remove-api-element.ts OUTDIR');
  process.exit(2);
}
main(path.resolve(outdir));
