// A TypeDoc plugin: every export of every entry point must carry an @example, or the docs build fails.
import { Converter, ReflectionKind } from 'typedoc'

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const module of context.project.children ?? []) {
      for (const exported of module.children ?? []) {
        if (exported.kindOf(ReflectionKind.Reference)) continue
        const comments = [exported.comment, ...(exported.signatures ?? []).map((s) => s.comment)]
        if (comments.some((comment) => comment?.getTag('@example'))) continue
        const kind = ReflectionKind.singularString(exported.kind)
        app.logger.error(`${module.name}: ${kind} ${exported.name} has no @example in its JSDoc`)
      }
    }
  })
}
