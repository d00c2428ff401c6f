import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * QA scorecards: templates (weighted criteria) defined by QA inspectors, and scores of recordings,
 * with comments tied to moments in the audio. agent_user_id and campaign_id are copied from the
 * recording so summaries per agent and per campaign need no join to recordings.
 */
export class QaScorecards1763740800011 implements MigrationInterface {
  name = 'QaScorecards1763740800011';

  async up(q: QueryRunner): Promise<void> {
    const table = (sql: string) => q.query(`${sql} ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await table(`
      CREATE TABLE qa_scorecard_templates (
        id CHAR(36) NOT NULL PRIMARY KEY,
        name VARCHAR(128) NOT NULL,
        criteria TEXT NOT NULL,
        created_by CHAR(36) NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
      )`);
    await table(`
      CREATE TABLE qa_scores (
        id CHAR(36) NOT NULL PRIMARY KEY,
        recording_id CHAR(36) NOT NULL,
        template_id CHAR(36) NOT NULL,
        scorer_user_id CHAR(36) NOT NULL,
        agent_user_id CHAR(36) NOT NULL,
        campaign_id CHAR(36) NOT NULL,
        total DECIMAL(5,2) NOT NULL,
        answers TEXT NOT NULL,
        comments TEXT NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        KEY ix_qa_scores_recording (recording_id),
        KEY ix_qa_scores_agent (agent_user_id, created_at),
        KEY ix_qa_scores_campaign (campaign_id, created_at),
        CONSTRAINT fk_qa_scores_template FOREIGN KEY (template_id) REFERENCES qa_scorecard_templates(id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS qa_scores');
    await q.query('DROP TABLE IF EXISTS qa_scorecard_templates');
  }
}
