/**
 * deploy/k8s/ and deploy/docker-compose.yml, checked without a cluster or a Docker engine: every
 * Kubernetes object validates against the Kubernetes API schemas (kubernetes-models, generated
 * from Kubernetes' OpenAPI document), and the objects agree with each other, with the Dockerfile,
 * with nginx.conf and with the service itself: the probes' paths answer as the probes expect,
 * every environment variable is a setting that loads, the ports are the ones the process listens on.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DockerfileParser } from 'dockerfile-ast'
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget'
import { Secret } from 'kubernetes-models/v1/Secret'
import { Service } from 'kubernetes-models/v1/Service'
import t from 'tap'
import { parse, parseAllDocuments } from 'yaml'
import { loadConfig, settingNames } from '../../src/config.js'
import { projectRoot } from '../../src/paths.js'
import { buildApp } from '../helpers/app.js'

const read = (path: string): string => readFileSync(join(projectRoot, path), 'utf8')

interface Model { validate: () => void }
/** The model of each kind the manifests may use, by `apiVersion/kind`. */
const models: Record<string, new (data: never) => Model> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/Secret': Secret
}

type Obj = Record<string, any>
const k8sDir = 'deploy/k8s'
const objects: Array<{ file: string, object: Obj }> = readdirSync(join(projectRoot, k8sDir)).filter((f) => f.endsWith('.yaml')).sort()
  .flatMap((file) => parseAllDocuments(read(join(k8sDir, file))).map((doc) => ({ file, object: doc.toJS() as Obj })))
const one = (kind: string): Obj => {
  const found = objects.filter((o) => o.object.kind === kind)
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`)
  return found[0]!.object
}

const dockerfile = DockerfileParser.parse(read('Dockerfile'))
const runtime = dockerfile.getInstructions().slice(dockerfile.getInstructions().findLastIndex((i) => i.getKeyword() === 'FROM'))
const instruction = (keyword: string): string => runtime.filter((i) => i.getKeyword() === keyword).map((i) => i.getArgumentsContent() ?? '').join(' ').trim()

t.test('every object validates against the Kubernetes schema of its kind', async (t) => {
  t.ok(objects.length >= 5)
  for (const { file, object } of objects) {
    const Model = models[`${String(object.apiVersion)}/${String(object.kind)}`]
    if (Model === undefined) {
      t.fail(`${file}: ${String(object.apiVersion)} ${String(object.kind)} has no model here`)
      continue
    }
    t.doesNotThrow(() => new Model(object as never).validate(), `${file}: ${String(object.kind)} ${String(object.metadata?.name)}`)
  }
  // The validator is not a formality: a wrong type fails it.
  const deployment = one('Deployment')
  t.throws(() => new Deployment({ ...deployment, spec: { ...deployment.spec, replicas: 'two' } } as never).validate())
})

t.test('the Deployment: probes, ports, user and file system agree with the image and the service', async (t) => {
  const deployment = one('Deployment')
  const pod = deployment.spec.template.spec
  const [container] = pod.containers as Obj[]
  const env: Record<string, Obj> = Object.fromEntries((container!.env as Obj[]).map((e) => [e.name, e]))
  const ports = Object.fromEntries((container!.ports as Obj[]).map((p) => [p.name, p.containerPort]))

  t.same(Object.keys(env).filter((name) => !(settingNames as string[]).includes(name)), [], 'every variable is a setting of src/config.ts')
  t.equal(String(ports.http), env.PORT?.value, 'the http port is PORT')
  t.equal(String(ports.http), instruction('EXPOSE'), 'and the port the image exposes')
  t.equal(String(ports.metrics), env.METRICS_PORT?.value, 'the metrics port is METRICS_PORT')
  t.ok(env.DATABASE_URL, 'curricula in PostgreSQL: nothing is written on the read-only root file system')
  t.ok(env.REDIS_URL, 'one rate limit across replicas')

  // The settings load as the process would load them, with the example Secret's values.
  const secret = one('Secret')
  const values: Record<string, string> = {}
  for (const [name, e] of Object.entries(env)) {
    if (e.value !== undefined) values[name] = e.value
    else if (e.valueFrom?.secretKeyRef !== undefined) {
      t.equal(e.valueFrom.secretKeyRef.name, secret.metadata.name, `${name} comes from the Secret`)
      t.ok(e.valueFrom.secretKeyRef.key in secret.stringData, `the Secret has ${name}'s key`)
      values[name] = secret.stringData[e.valueFrom.secretKeyRef.key]
    } else if (e.valueFrom?.fieldRef !== undefined) values[name] = '10.1.2.3'
  }
  const config = loadConfig(values)
  t.equal(config.PORT, ports.http)

  t.equal(container!.readinessProbe.httpGet.path, '/health/ready')
  t.equal(container!.livenessProbe.httpGet.path, '/health/live')
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    t.ok(container![probe].httpGet.port in ports, `${probe} names a port of the container`)
  }
  const app = await buildApp(t)
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const res = await app.inject(container![probe].httpGet.path)
    t.equal(res.statusCode, 200, `${probe}: ${container![probe].httpGet.path} answers 200 on a ready instance`)
    t.match(res.headers['cache-control'], 'no-store')
  }

  t.equal(instruction('USER'), 'node', 'the image runs as node…')
  t.equal(pod.securityContext.runAsUser, 1000, '…uid 1000 in the node images, given by number so the kubelet can check runAsNonRoot')
  t.equal(pod.securityContext.runAsNonRoot, true)
  t.equal(container!.securityContext.readOnlyRootFilesystem, true)
  t.equal(container!.securityContext.allowPrivilegeEscalation, false)
  t.same(container!.securityContext.capabilities.drop, ['ALL'])
  const volumes = new Set((pod.volumes as Obj[]).map((v) => v.name))
  t.ok((container!.volumeMounts as Obj[]).every((m) => volumes.has(m.name)), 'every mount has its volume')
  t.ok(container!.resources.requests.cpu && container!.resources.requests.memory && container!.resources.limits.memory, 'requests and a memory limit')

  const preStop = Number(container!.lifecycle?.preStop?.sleep?.seconds ?? 0)
  t.ok(preStop + config.SHUTDOWN_TIMEOUT / 1000 < pod.terminationGracePeriodSeconds, 'the pause and the graceful shutdown fit in the grace period')
  t.same(deployment.spec.selector.matchLabels, pod.labels ?? deployment.spec.template.metadata.labels)
})

t.test('Service, autoscaler and disruption budget point at the Deployment', async (t) => {
  const deployment = one('Deployment')
  const labels = deployment.spec.template.metadata.labels as Record<string, string>
  const matches = (selector: Record<string, string>): boolean => Object.entries(selector).every(([k, v]) => labels[k] === v)
  const service = one('Service')
  t.ok(matches(service.spec.selector), 'the Service selects the pods')
  const portNames = new Set((deployment.spec.template.spec.containers[0].ports as Obj[]).map((p) => p.name))
  t.ok((service.spec.ports as Obj[]).every((p) => portNames.has(p.targetPort)), 'and targets their named port')
  const hpa = one('HorizontalPodAutoscaler')
  t.same(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name })
  t.ok(hpa.spec.minReplicas >= 2, 'at least two replicas')
  const pdb = one('PodDisruptionBudget')
  t.ok(matches(pdb.spec.selector.matchLabels), 'the budget covers the pods')
  t.ok(pdb.spec.minAvailable < hpa.spec.minReplicas, 'and still lets a node drain')
  const env = (deployment.spec.template.spec.containers[0].env as Obj[])
  const poolSize = Number(env.find((e) => e.name === 'CURRICULA_POOL_SIZE')?.value ?? 10)
  t.ok(hpa.spec.maxReplicas * poolSize <= 97, 'the most replicas × their PostgreSQL pools fit in the default max_connections (100, 3 reserved)')
})

t.test('docker-compose.yml: replicas, PostgreSQL, Redis and nginx that fit together', async (t) => {
  const compose = parse(read('deploy/docker-compose.yml')) as Obj
  const { api, nginx, postgres, redis } = compose.services as Record<string, Obj>
  t.ok(api && nginx && postgres && redis, 'the four services')
  t.ok(api!.deploy.replicas >= 2, 'replicas')
  t.equal(api!.read_only, true, 'a read-only root file system, as in Kubernetes')
  const env = api!.environment as Record<string, string>
  t.same(Object.keys(env).filter((name) => !(settingNames as string[]).includes(name)), [], 'every variable is a setting')
  const config = loadConfig(env)
  t.match(api!.healthcheck.test.join(' '), `http://127.0.0.1:${config.PORT}/health/ready`, 'the health check asks readiness on PORT')

  const database = new URL(config.DATABASE_URL!)
  t.equal(database.hostname, 'postgres')
  t.equal(database.username, postgres!.environment.POSTGRES_USER)
  t.equal(database.password, postgres!.environment.POSTGRES_PASSWORD)
  t.equal(database.pathname, `/${String(postgres!.environment.POSTGRES_DB)}`)
  t.equal(new URL(config.REDIS_URL!).hostname, 'redis')

  const conf = read('deploy/nginx/nginx.conf')
  t.match(conf, new RegExp(`server api:${config.PORT} `), 'nginx sends to the api service on PORT')
  t.ok((nginx!.volumes as string[]).includes('./nginx/nginx.conf:/etc/nginx/nginx.conf:ro'), 'nginx runs the shipped configuration')
  const listen = /listen (\d+);/.exec(conf)?.[1]
  t.ok((nginx!.ports as string[]).some((p) => p.endsWith(`:${String(listen)}`)), `nginx's published port is the one it listens on (${String(listen)})`)
  t.ok((nginx!.tmpfs as string[]).includes('/var/cache/nginx'), 'and it has the cache folder its configuration names')
  t.equal(new URL(config.PUBLIC_URL!).port, String(listen), 'canonical URIs name the address clients use: nginx')
})
