import { NgTemplateOutlet } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { InputTextModule } from 'primeng/inputtext';
import { MessageModule } from 'primeng/message';
import { firstValueFrom } from 'rxjs';
import { Field, Json, matches, namedSchemas, sections } from './openapi';

const CARD = 'rounded-xl border border-surface-200 dark:border-surface-800 bg-surface-0 dark:bg-surface-900 p-4 mb-4';
const METHOD_COLOURS: Record<string, string> = {
  GET: 'bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-100',
  POST: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100',
  PUT: 'bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100',
  PATCH: 'bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100',
  DELETE: 'bg-rose-100 text-rose-800 dark:bg-rose-900 dark:text-rose-100',
};

/**
 * The API reference (/docs/api, no session needed): the server's own OpenAPI document rendered as a page, with
 * every operation by tag (parameters, body, replies, how to sign in) and every schema's fields. Nothing is
 * loaded from elsewhere; the raw document is linked for tools.
 */
@Component({
  selector: 'hk-api-docs',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NgTemplateOutlet, FormsModule, InputTextModule, MessageModule],
  template: `
    <div class="flex flex-col lg:flex-row gap-6">
      <nav aria-label="API sections" class="lg:w-52 shrink-0 lg:sticky lg:top-4 self-start w-full">
        <label class="flex flex-col gap-1 text-sm mb-3">Search
          <input pInputText type="search" name="search" [ngModel]="search()" (ngModelChange)="search.set($event)"
                 placeholder="path, method, words" data-testid="docs-search" />
        </label>
        <ul class="list-none m-0 p-0 flex flex-wrap lg:flex-col gap-x-3 gap-y-1 text-sm">
          @for (section of shown(); track section.tag) {
            <li><a [href]="'/docs/api#' + slug(section.tag)" (click)="jump($event, slug(section.tag))" class="text-primary">
              {{ section.tag }}</a><span class="text-surface-500 ml-1">{{ section.operations.length }}</span></li>
          }
          <li><a href="/docs/api#schemas" (click)="jump($event, 'schemas')" class="text-primary">Schemas</a></li>
        </ul>
      </nav>

      <div class="min-w-0 flex-1">
        <h1 class="text-2xl font-semibold mb-1">{{ title() }}</h1>
        @if (error()) {
          <p-message severity="error" data-testid="docs-error" [text]="error()!" />
        } @else if (!doc()) {
          <p class="text-surface-500">Loading…</p>
        } @else {
          <p class="text-sm text-surface-600 dark:text-surface-300 mb-2 max-w-3xl">{{ doc()!['info']?.description }}</p>
          <p class="text-sm mb-4">OpenAPI {{ doc()!['openapi'] }} document:
            <a href="/api/docs/openapi.json" class="text-primary" data-testid="docs-raw">/api/docs/openapi.json</a></p>

          @for (section of shown(); track section.tag) {
            <section [id]="slug(section.tag)" [attr.aria-labelledby]="slug(section.tag) + '-title'">
              <h2 [id]="slug(section.tag) + '-title'" class="text-xl font-semibold mt-6 mb-3">{{ section.tag }}</h2>
              @for (op of section.operations; track op.id) {
                <article [id]="op.id" [class]="card" data-testid="operation" [attr.data-operation]="op.method + ' ' + op.path">
                  <h3 class="text-base font-semibold m-0 flex flex-wrap items-center gap-2">
                    <span class="text-xs font-mono px-2 py-0.5 rounded" [class]="methodColour(op.method)">{{ op.method }}</span>
                    <code class="break-all">{{ op.path }}</code>
                  </h3>
                  <p class="mt-2 mb-1">{{ op.summary }}</p>
                  @if (op.description) { <p class="text-sm text-surface-600 dark:text-surface-300 my-1">{{ op.description }}</p> }
                  <p class="text-xs text-surface-500 my-1" data-testid="operation-auth">
                    {{ op.auth[0] === 'public' ? 'Public: no sign-in' : 'Sign in with: ' + op.auth.join(' or ') }}</p>

                  @if (op.parameters.length) {
                    <h4 class="text-sm font-semibold mt-3 mb-1">Parameters</h4>
                    <div class="overflow-x-auto">
                      <table class="text-sm w-full">
                        <thead><tr class="text-left text-surface-500"><th class="pr-3">name</th><th class="pr-3">in</th>
                          <th class="pr-3">type</th><th>description</th></tr></thead>
                        <tbody>
                          @for (p of op.parameters; track p.in + p.name) {
                            <tr class="align-top border-t border-surface-100 dark:border-surface-800" data-testid="parameter">
                              <td class="pr-3 font-mono">{{ p.name }}@if (p.required) {<span title="required">*</span>}</td>
                              <td class="pr-3">{{ p.in }}</td><td class="pr-3 font-mono">{{ p.type }}</td><td>{{ p.description }}</td>
                            </tr>
                          }
                        </tbody>
                      </table>
                    </div>
                  }

                  @if (op.body) {
                    <h4 class="text-sm font-semibold mt-3 mb-1">Body (JSON)</h4>
                    <p class="text-sm font-mono my-1">
                      @if (op.body.ref) { <a [href]="'/docs/api#schema-' + op.body.ref" (click)="jump($event, 'schema-' + op.body.ref)"
                                             class="text-primary">{{ op.body.type }}</a> } @else { {{ op.body.type }} }
                    </p>
                    <ng-container *ngTemplateOutlet="fieldsTable; context: { $implicit: op.body.fields }" />
                  }

                  <h4 class="text-sm font-semibold mt-3 mb-1">Replies</h4>
                  <ul class="list-none m-0 p-0 text-sm">
                    @for (reply of op.replies; track reply.status) {
                      <li class="grid grid-cols-[2.5rem_1fr] gap-x-2" data-testid="reply">
                        <span class="font-mono font-semibold">{{ reply.status }}</span>
                        <span>{{ reply.description }}
                          @if (reply.schema) {
                            <span class="font-mono ml-1">
                              @if (reply.schema.ref) {
                                <a [href]="'/docs/api#schema-' + reply.schema.ref" (click)="jump($event, 'schema-' + reply.schema.ref)"
                                   class="text-primary">{{ reply.schema.type }}</a>
                              } @else { {{ reply.schema.type }} }
                            </span>
                          }
                        </span>
                      </li>
                    }
                  </ul>
                </article>
              }
            </section>
          }

          <section id="schemas" aria-labelledby="schemas-title">
            <h2 id="schemas-title" class="text-xl font-semibold mt-6 mb-3">Schemas</h2>
            @for (schema of schemas(); track schema.name) {
              <article [id]="'schema-' + schema.name" [class]="card" data-testid="schema">
                <h3 class="text-base font-semibold font-mono m-0">{{ schema.name }}</h3>
                @if (schema.description) { <p class="text-sm text-surface-600 dark:text-surface-300 my-1">{{ schema.description }}</p> }
                <p class="text-sm font-mono my-1">{{ schema.view.type }}</p>
                <ng-container *ngTemplateOutlet="fieldsTable; context: { $implicit: schema.view.fields }" />
              </article>
            }
          </section>
        }
      </div>
    </div>

    <ng-template #fieldsTable let-fields>
      @if (fields.length) {
        <div class="overflow-x-auto">
          <table class="text-sm w-full">
            <tbody>
              @for (field of asFields(fields); track $index) {
                <tr class="align-top border-t border-surface-100 dark:border-surface-800" data-testid="field">
                  <td class="pr-3 font-mono whitespace-nowrap" [style.padding-left.rem]="field.depth * 1.25">
                    {{ field.name }}@if (field.required) {<span title="required">*</span>}</td>
                  <td class="pr-3 font-mono">{{ field.type }}</td>
                  <td>{{ field.description }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    </ng-template>
  `,
})
export class ApiDocsPage implements OnInit {
  private readonly http = inject(HttpClient);
  protected readonly card = CARD;
  protected readonly doc = signal<Json | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly search = signal('');
  protected readonly title = computed(() => this.doc()?.['info']?.title ?? 'API reference');
  private readonly all = computed(() => (this.doc() ? sections(this.doc()!) : []));
  protected readonly shown = computed(() => this.all()
    .map((section) => ({ tag: section.tag, operations: section.operations.filter((op) => matches(op, section.tag, this.search())) }))
    .filter((section) => section.operations.length));
  protected readonly schemas = computed(() => (this.doc() ? namedSchemas(this.doc()!) : []));

  async ngOnInit(): Promise<void> {
    try {
      this.doc.set(await firstValueFrom(this.http.get<Json>('/api/docs/openapi.json')));
    } catch {
      this.error.set('The API description could not be loaded.');
    }
  }

  protected slug(tag: string): string {
    return 'tag-' + tag.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  }

  protected methodColour(method: string): string {
    return METHOD_COLOURS[method] ?? 'bg-surface-100 text-surface-800 dark:bg-surface-800 dark:text-surface-100';
  }

  /** The template's fields, typed (ng-template contexts are untyped). */
  protected asFields(fields: Field[]): Field[] {
    return fields;
  }

  protected jump(event: Event, id: string): void {
    event.preventDefault();
    document.getElementById(id)?.scrollIntoView({ block: 'start' });
  }
}
