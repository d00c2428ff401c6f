import { IsNotEmpty, Max, Min } from 'class-validator';
import { Env, Secret } from '@app/config';

/** The MySQL connection every app uses. Mixed into each app's configuration class. */
export class DatabaseConfig {
  @Env('DB_HOST', { default: '127.0.0.1' })
  @IsNotEmpty()
  dbHost!: string;

  @Env('DB_PORT', { kind: 'int', default: 3306 })
  @Min(1)
  @Max(65535)
  dbPort!: number;

  @Env('DB_USER', { describe: 'the MySQL user' })
  @IsNotEmpty()
  dbUser!: string;

  @Env('DB_PASSWORD', { secret: true, default: '' })
  dbPassword!: Secret<string>;

  @Env('DB_NAME', { describe: 'the MySQL database' })
  @IsNotEmpty()
  dbName!: string;

  @Env('DB_POOL_SIZE', { kind: 'int', default: 10 })
  @Min(1)
  @Max(200)
  dbPoolSize!: number;
}
