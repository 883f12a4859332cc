import { Inject } from '@nestjs/common';

export const MONGO_CLIENT = Symbol('MONGO_CLIENT');
export const MONGO_DB = Symbol('MONGO_DB');

/** Injects the process's database handle; only repositories should ask for it. */
export const InjectDb = (): ParameterDecorator => Inject(MONGO_DB);
