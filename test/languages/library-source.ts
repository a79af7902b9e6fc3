// Where the apps of the language tests get the library from. By default, the
// artifacts `npm run package:all` wrote to dist/ (a tarball, a wheel, a Maven
// repository, a Go module the apps point a `replace` at). With
// CDK_LANGUAGES_LIBRARY=registries, the registries the release rehearsal
// (scripts/release/rehearse.sh) published that version to: each app installs
// it by name and version, as a user would, from the registry its tool is
// pointed at:
//   npm    npm_config_registry (the rehearsal's verdaccio)
//   pip    PIP_INDEX_URL (the rehearsal's pypiserver)
//   Maven  CDK_LANGUAGES_MAVEN_REPOSITORY (the directory publib-maven deployed to)
//   Go     GOPRIVATE and git's configuration (GIT_CONFIG_GLOBAL: the module's
//          repository, to which publib-golang pushed, rewritten to a local one)
import * as path from 'path';
import { DIST, LIBRARY_VERSION, theFile } from './harness';

/** The library's Go module (the package jsii-pacmak generates, in its repository). */
export const GO_MODULE = 'github.com/cdk-opensearch-packages/cdk-opensearch-packages-go/cdkopensearchpackages';

/** How each app installs the library, and where that install must come from. */
export interface LibrarySource {
  /** For the test names: 'dist/' or 'the registries'. */
  readonly name: string;
  /** What `npm install` is given: the tarball, or name@version. */
  readonly npmSpec: string;
  /**
   * The tarball the installed package must be byte-identical to (its
   * integrity in package-lock.json): the one in dist/js, which the rehearsal
   * published.
   */
  readonly npmTarball: string;
  /** The requirement line of requirements.txt: the wheel's file URL, or name==version. */
  readonly pythonRequirement: string;
  /** Where pip's installation report must say the wheel came from (a prefix). */
  readonly pythonOrigin: string;
  /** The Maven repository directory the jar comes from (Maven reads it as file://). */
  readonly mavenRepository: string;
  /** The directory a `replace` points the Go module at, or undefined to fetch the version. */
  readonly goReplace?: string;
}

/** The library source the environment selects (CDK_LANGUAGES_LIBRARY). */
export function librarySource(env: NodeJS.ProcessEnv = process.env): LibrarySource {
  const kind = env.CDK_LANGUAGES_LIBRARY ?? 'dist';
  if (kind === 'dist') {
    const tarball = theFile(path.join(DIST, 'js'), /\.tgz$/);
    const wheel = theFile(path.join(DIST, 'python'), /\.whl$/);
    return {
      name: 'dist/',
      npmSpec: tarball,
      npmTarball: tarball,
      pythonRequirement: `cdk-opensearch-packages @ file://${wheel}`,
      pythonOrigin: `file://${wheel}`,
      mavenRepository: path.join(DIST, 'java'),
      goReplace: path.join(DIST, 'go', 'cdkopensearchpackages'),
    };
  }
  if (kind !== 'registries') throw new Error(`CDK_LANGUAGES_LIBRARY must be dist or registries, not "${kind}"`);
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`CDK_LANGUAGES_LIBRARY=registries needs ${name} (scripts/release/rehearse.sh sets it)`);
    return value;
  };
  required('npm_config_registry');
  required('GOPRIVATE');
  return {
    name: 'the registries',
    npmSpec: `cdk-opensearch-packages@${LIBRARY_VERSION}`,
    npmTarball: theFile(path.join(DIST, 'js'), /\.tgz$/),
    pythonRequirement: `cdk-opensearch-packages==${LIBRARY_VERSION}`,
    pythonOrigin: new URL('/', required('PIP_INDEX_URL')).href,
    mavenRepository: required('CDK_LANGUAGES_MAVEN_REPOSITORY'),
  };
}
