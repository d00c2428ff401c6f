import { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { ROUTE_ACCESS, RouteAccess } from '@app/auth';

export interface RouteDeclaration {
  route: string;
  access: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD', 'SEARCH'];

/** Every route an app serves, with what it declares: "permission X", "+ reauth", "open: reason", or "UNDECLARED". */
export function listRoutes(app: INestApplication): RouteDeclaration[] {
  const modules = app.get(ModulesContainer);
  const scanner = new MetadataScanner();
  const reflector = app.get(Reflector);
  const routes: RouteDeclaration[] = [];
  const controllers = [...modules.values()].flatMap((m) => [...m.controllers.values()]);
  for (const wrapper of controllers) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !wrapper.metatype) continue;
    const prefix = normalise(Reflect.getMetadata(PATH_METADATA, wrapper.metatype));
    const prototype = Object.getPrototypeOf(instance);
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const path = Reflect.getMetadata(PATH_METADATA, handler);
      if (path === undefined) continue;
      const method = METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const access = reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [handler, wrapper.metatype]);
      routes.push({
        route: `${method} /${[prefix, normalise(path)].filter(Boolean).join('/')}`,
        access: !access
          ? 'UNDECLARED'
          : access.kind === 'public'
            ? `open: ${access.reason}`
            : `${access.permission}${access.reauth ? ' + reauth' : ''}`,
      });
    }
  }
  return routes.sort((a, b) => a.route.localeCompare(b.route));
}

function normalise(path: string | string[] | undefined): string {
  const p = Array.isArray(path) ? path[0] : path;
  return (p ?? '').replace(/^\/+|\/+$/g, '');
}
