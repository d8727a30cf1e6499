/** Every named REST schema, registered once by the OpenAPI plugin so routes and the document share them. */
import type { TSchema } from '@sinclair/typebox'
import * as entities from './entities.js'
import * as frameworks from './frameworks.js'
import * as search from './search.js'
import * as changes from './changes.js'
import { Export, seedComponents } from './export.js'
import { Alignment } from '../../formats/alignment.js'
import { JsonLd } from '../../formats/jsonld.js'

/** In dependency order: a schema comes after those it references (the shared ones come first, from web/schemas). */
export const restSchemas: TSchema[] = [
  entities.Statement, entities.DomainRef, entities.CompetencyRef, entities.Principle, entities.SubPoint, entities.Activity,
  entities.Hint, entities.Competency, entities.Domain, entities.Definition, entities.Question, entities.Dilemma,
  entities.ResourceGroup, entities.Resource,
  entities.PrincipleList, entities.DomainList, entities.CompetencyList, entities.ActivityList, entities.HintList,
  entities.DefinitionList, entities.QuestionList, entities.DilemmaList, entities.ResourceList,
  frameworks.VersionSummary, frameworks.Framework, frameworks.FrameworkList, frameworks.LmsFile, frameworks.Version, frameworks.Discovery,
  search.SearchHit, search.SearchResults,
  changes.DiffOp, changes.FieldChange, changes.ChangeEntry, changes.ChangedEntry, changes.MovedEntry, changes.Changes,
  ...Object.values(seedComponents), Export, JsonLd, Alignment
]
