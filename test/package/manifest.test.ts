import { readFileSync } from 'node:fs';
import { expect } from 'chai';

// The published manifest. The full check (pack → install → strict type-check → run) is `npm run test:package`,
// run by .ci/run; these are its fast, static parts.
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Record<string, any>;
const buildConfig = JSON.parse(readFileSync(new URL('../../tsconfig.build.json', import.meta.url), 'utf8')) as Record<string, any>;

describe('package manifest (what npm pack publishes)', () => {
  it('builds dist/ before packing, from a clean dist/', () => {
    expect(manifest.scripts.prepack).to.equal('npm run build');
    expect(manifest.scripts.build).to.match(/rmSync\('dist'/);
    expect(manifest.files).to.include('dist');
  });

  it('ships no source maps (their sources are not in the package)', () => {
    expect(buildConfig.compilerOptions.sourceMap).to.equal(false);
    expect(buildConfig.compilerOptions.declarationMap ?? false).to.equal(false);
  });

  it('names its repository', () => {
    expect(manifest.repository).to.have.property('type', 'git');
    expect(manifest.repository.url).to.match(/^git\+https:\/\//);
  });

  it('takes rxjs as a peer dependency (one copy in the consumer), ^7.8, and keeps it for its own tests', () => {
    expect(manifest.dependencies).to.not.have.property('rxjs');
    expect(manifest.peerDependencies).to.have.property('rxjs', '^7.8.0');
    expect(manifest.peerDependenciesMeta?.rxjs?.optional ?? false).to.equal(false);
    expect(manifest.devDependencies).to.have.property('rxjs');
  });

  it('keeps ioredis an optional peer dependency', () => {
    expect(manifest.peerDependencies).to.have.property('ioredis');
    expect(manifest.peerDependenciesMeta?.ioredis?.optional).to.equal(true);
    expect(manifest.dependencies).to.not.have.property('ioredis');
  });
});
