// Load the kg bundle with LOAD CSV: copy the CSV files into Neo4j's import directory,
// then run: cypher-shell -u neo4j -p PASSWORD -f load.cypher
// (Neo4j 5; CALL ... IN TRANSACTIONS needs an implicit transaction: cypher-shell,
// or prefix each statement with :auto in Neo4j Browser.)

CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Paper.csv' AS line
CALL {
  WITH line
  WITH {id: line.`id:ID(Paper)`, `title`: line.`title`, `abstract`: line.`abstract`, `date`: line.`date:date`, `upvotes`: toInteger(line.`upvotes:int`), `author_count`: toInteger(line.`author_count:int`), `authors`: split(line.`authors:string[]`, ';'), `links`: split(line.`links:string[]`, ';'), `sources`: split(line.`sources:string[]`, ';'), `categories`: split(line.`categories:string[]`, ';')} AS row
  MERGE (n:Paper {id: row.id}) SET n.`title` = row.`title`, n.`abstract` = row.`abstract`, n.`date` = date(row.`date`), n.`upvotes` = row.`upvotes`, n.`author_count` = row.`author_count`, n.`authors` = row.`authors`, n.`links` = row.`links`, n.`sources` = row.`sources`, n.`categories` = row.`categories`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Method.csv' AS line
CALL {
  WITH line
  WITH {id: line.`id:ID(Entity)`, `kind`: line.`kind`, `label`: line.`label`, `aliases`: split(line.`aliases:string[]`, ';'), `family`: line.`family`, `description`: line.`description`, `external_ids`: split(line.`external_ids:string[]`, ';'), `known`: toBoolean(line.`known:boolean`), `paper_count`: toInteger(line.`paper_count:int`)} AS row
  MERGE (n:Entity {id: row.id}) SET n.`kind` = row.`kind`, n.`label` = row.`label`, n.`aliases` = row.`aliases`, n.`family` = row.`family`, n.`description` = row.`description`, n.`external_ids` = row.`external_ids`, n.`known` = row.`known`, n.`paper_count` = row.`paper_count`, n:Method REMOVE n:Model, n:Dataset, n:Hardware
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Model.csv' AS line
CALL {
  WITH line
  WITH {id: line.`id:ID(Entity)`, `kind`: line.`kind`, `label`: line.`label`, `aliases`: split(line.`aliases:string[]`, ';'), `family`: line.`family`, `description`: line.`description`, `external_ids`: split(line.`external_ids:string[]`, ';'), `known`: toBoolean(line.`known:boolean`), `paper_count`: toInteger(line.`paper_count:int`)} AS row
  MERGE (n:Entity {id: row.id}) SET n.`kind` = row.`kind`, n.`label` = row.`label`, n.`aliases` = row.`aliases`, n.`family` = row.`family`, n.`description` = row.`description`, n.`external_ids` = row.`external_ids`, n.`known` = row.`known`, n.`paper_count` = row.`paper_count`, n:Model REMOVE n:Method, n:Dataset, n:Hardware
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Dataset.csv' AS line
CALL {
  WITH line
  WITH {id: line.`id:ID(Entity)`, `kind`: line.`kind`, `label`: line.`label`, `aliases`: split(line.`aliases:string[]`, ';'), `family`: line.`family`, `description`: line.`description`, `external_ids`: split(line.`external_ids:string[]`, ';'), `known`: toBoolean(line.`known:boolean`), `paper_count`: toInteger(line.`paper_count:int`)} AS row
  MERGE (n:Entity {id: row.id}) SET n.`kind` = row.`kind`, n.`label` = row.`label`, n.`aliases` = row.`aliases`, n.`family` = row.`family`, n.`description` = row.`description`, n.`external_ids` = row.`external_ids`, n.`known` = row.`known`, n.`paper_count` = row.`paper_count`, n:Dataset REMOVE n:Method, n:Model, n:Hardware
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///nodes_Hardware.csv' AS line
CALL {
  WITH line
  WITH {id: line.`id:ID(Entity)`, `kind`: line.`kind`, `label`: line.`label`, `aliases`: split(line.`aliases:string[]`, ';'), `family`: line.`family`, `description`: line.`description`, `external_ids`: split(line.`external_ids:string[]`, ';'), `known`: toBoolean(line.`known:boolean`), `paper_count`: toInteger(line.`paper_count:int`)} AS row
  MERGE (n:Entity {id: row.id}) SET n.`kind` = row.`kind`, n.`label` = row.`label`, n.`aliases` = row.`aliases`, n.`family` = row.`family`, n.`description` = row.`description`, n.`external_ids` = row.`external_ids`, n.`known` = row.`known`, n.`paper_count` = row.`paper_count`, n:Hardware REMOVE n:Method, n:Model, n:Dataset
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_MENTIONS.csv' AS line
CALL {
  WITH line
  WITH {source: line.`:START_ID(Paper)`, target: line.`:END_ID(Entity)`, `confidence`: toFloat(line.`confidence:double`), `evidence`: line.`evidence`, `field`: line.`field`, `start`: toInteger(line.`start:int`), `end`: toInteger(line.`end:int`), `cue`: line.`cue`, `mention_count`: toInteger(line.`mention_count:int`), `surface_forms`: split(line.`surface_forms:string[]`, ';')} AS row
  MATCH (a:Paper {id: row.source}) MATCH (b:Entity {id: row.target}) MERGE (a)-[r:MENTIONS]->(b) SET r.`confidence` = row.`confidence`, r.`evidence` = row.`evidence`, r.`field` = row.`field`, r.`start` = row.`start`, r.`end` = row.`end`, r.`cue` = row.`cue`, r.`mention_count` = row.`mention_count`, r.`surface_forms` = row.`surface_forms`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_INTRODUCES.csv' AS line
CALL {
  WITH line
  WITH {source: line.`:START_ID(Paper)`, target: line.`:END_ID(Entity)`, `confidence`: toFloat(line.`confidence:double`), `evidence`: line.`evidence`, `field`: line.`field`, `start`: toInteger(line.`start:int`), `end`: toInteger(line.`end:int`), `cue`: line.`cue`, `mention_count`: toInteger(line.`mention_count:int`), `surface_forms`: split(line.`surface_forms:string[]`, ';')} AS row
  MATCH (a:Paper {id: row.source}) MATCH (b:Entity {id: row.target}) MERGE (a)-[r:INTRODUCES]->(b) SET r.`confidence` = row.`confidence`, r.`evidence` = row.`evidence`, r.`field` = row.`field`, r.`start` = row.`start`, r.`end` = row.`end`, r.`cue` = row.`cue`, r.`mention_count` = row.`mention_count`, r.`surface_forms` = row.`surface_forms`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_USES.csv' AS line
CALL {
  WITH line
  WITH {source: line.`:START_ID(Paper)`, target: line.`:END_ID(Entity)`, `confidence`: toFloat(line.`confidence:double`), `evidence`: line.`evidence`, `field`: line.`field`, `start`: toInteger(line.`start:int`), `end`: toInteger(line.`end:int`), `cue`: line.`cue`, `mention_count`: toInteger(line.`mention_count:int`), `surface_forms`: split(line.`surface_forms:string[]`, ';')} AS row
  MATCH (a:Paper {id: row.source}) MATCH (b:Entity {id: row.target}) MERGE (a)-[r:USES]->(b) SET r.`confidence` = row.`confidence`, r.`evidence` = row.`evidence`, r.`field` = row.`field`, r.`start` = row.`start`, r.`end` = row.`end`, r.`cue` = row.`cue`, r.`mention_count` = row.`mention_count`, r.`surface_forms` = row.`surface_forms`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_EVALUATES_ON.csv' AS line
CALL {
  WITH line
  WITH {source: line.`:START_ID(Paper)`, target: line.`:END_ID(Entity)`, `confidence`: toFloat(line.`confidence:double`), `evidence`: line.`evidence`, `field`: line.`field`, `start`: toInteger(line.`start:int`), `end`: toInteger(line.`end:int`), `cue`: line.`cue`, `mention_count`: toInteger(line.`mention_count:int`), `surface_forms`: split(line.`surface_forms:string[]`, ';')} AS row
  MATCH (a:Paper {id: row.source}) MATCH (b:Entity {id: row.target}) MERGE (a)-[r:EVALUATES_ON]->(b) SET r.`confidence` = row.`confidence`, r.`evidence` = row.`evidence`, r.`field` = row.`field`, r.`start` = row.`start`, r.`end` = row.`end`, r.`cue` = row.`cue`, r.`mention_count` = row.`mention_count`, r.`surface_forms` = row.`surface_forms`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_TRAINS_ON.csv' AS line
CALL {
  WITH line
  WITH {source: line.`:START_ID(Paper)`, target: line.`:END_ID(Entity)`, `confidence`: toFloat(line.`confidence:double`), `evidence`: line.`evidence`, `field`: line.`field`, `start`: toInteger(line.`start:int`), `end`: toInteger(line.`end:int`), `cue`: line.`cue`, `mention_count`: toInteger(line.`mention_count:int`), `surface_forms`: split(line.`surface_forms:string[]`, ';')} AS row
  MATCH (a:Paper {id: row.source}) MATCH (b:Entity {id: row.target}) MERGE (a)-[r:TRAINS_ON]->(b) SET r.`confidence` = row.`confidence`, r.`evidence` = row.`evidence`, r.`field` = row.`field`, r.`start` = row.`start`, r.`end` = row.`end`, r.`cue` = row.`cue`, r.`mention_count` = row.`mention_count`, r.`surface_forms` = row.`surface_forms`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_FINE_TUNES.csv' AS line
CALL {
  WITH line
  WITH {source: line.`:START_ID(Paper)`, target: line.`:END_ID(Entity)`, `confidence`: toFloat(line.`confidence:double`), `evidence`: line.`evidence`, `field`: line.`field`, `start`: toInteger(line.`start:int`), `end`: toInteger(line.`end:int`), `cue`: line.`cue`, `mention_count`: toInteger(line.`mention_count:int`), `surface_forms`: split(line.`surface_forms:string[]`, ';')} AS row
  MATCH (a:Paper {id: row.source}) MATCH (b:Entity {id: row.target}) MERGE (a)-[r:FINE_TUNES]->(b) SET r.`confidence` = row.`confidence`, r.`evidence` = row.`evidence`, r.`field` = row.`field`, r.`start` = row.`start`, r.`end` = row.`end`, r.`cue` = row.`cue`, r.`mention_count` = row.`mention_count`, r.`surface_forms` = row.`surface_forms`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_RUNS_ON.csv' AS line
CALL {
  WITH line
  WITH {source: line.`:START_ID(Paper)`, target: line.`:END_ID(Entity)`, `confidence`: toFloat(line.`confidence:double`), `evidence`: line.`evidence`, `field`: line.`field`, `start`: toInteger(line.`start:int`), `end`: toInteger(line.`end:int`), `cue`: line.`cue`, `mention_count`: toInteger(line.`mention_count:int`), `surface_forms`: split(line.`surface_forms:string[]`, ';')} AS row
  MATCH (a:Paper {id: row.source}) MATCH (b:Entity {id: row.target}) MERGE (a)-[r:RUNS_ON]->(b) SET r.`confidence` = row.`confidence`, r.`evidence` = row.`evidence`, r.`field` = row.`field`, r.`start` = row.`start`, r.`end` = row.`end`, r.`cue` = row.`cue`, r.`mention_count` = row.`mention_count`, r.`surface_forms` = row.`surface_forms`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_COMPARES_WITH.csv' AS line
CALL {
  WITH line
  WITH {source: line.`:START_ID(Paper)`, target: line.`:END_ID(Entity)`, `confidence`: toFloat(line.`confidence:double`), `evidence`: line.`evidence`, `field`: line.`field`, `start`: toInteger(line.`start:int`), `end`: toInteger(line.`end:int`), `cue`: line.`cue`, `mention_count`: toInteger(line.`mention_count:int`), `surface_forms`: split(line.`surface_forms:string[]`, ';')} AS row
  MATCH (a:Paper {id: row.source}) MATCH (b:Entity {id: row.target}) MERGE (a)-[r:COMPARES_WITH]->(b) SET r.`confidence` = row.`confidence`, r.`evidence` = row.`evidence`, r.`field` = row.`field`, r.`start` = row.`start`, r.`end` = row.`end`, r.`cue` = row.`cue`, r.`mention_count` = row.`mention_count`, r.`surface_forms` = row.`surface_forms`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_OUTPERFORMS.csv' AS line
CALL {
  WITH line
  WITH {source: line.`:START_ID(Paper)`, target: line.`:END_ID(Entity)`, `confidence`: toFloat(line.`confidence:double`), `evidence`: line.`evidence`, `field`: line.`field`, `start`: toInteger(line.`start:int`), `end`: toInteger(line.`end:int`), `cue`: line.`cue`, `mention_count`: toInteger(line.`mention_count:int`), `surface_forms`: split(line.`surface_forms:string[]`, ';')} AS row
  MATCH (a:Paper {id: row.source}) MATCH (b:Entity {id: row.target}) MERGE (a)-[r:OUTPERFORMS]->(b) SET r.`confidence` = row.`confidence`, r.`evidence` = row.`evidence`, r.`field` = row.`field`, r.`start` = row.`start`, r.`end` = row.`end`, r.`cue` = row.`cue`, r.`mention_count` = row.`mention_count`, r.`surface_forms` = row.`surface_forms`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_VARIANT_OF.csv' AS line
CALL {
  WITH line
  WITH {source: line.`:START_ID(Entity)`, target: line.`:END_ID(Entity)`} AS row
  MATCH (a:Entity {id: row.source}) MATCH (b:Entity {id: row.target}) MERGE (a)-[r:VARIANT_OF]->(b)
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_BUILDS_ON.csv' AS line
CALL {
  WITH line
  WITH {source: line.`:START_ID(Paper)`, target: line.`:END_ID(Paper)`, `via`: split(line.`via:string[]`, ';')} AS row
  MATCH (a:Paper {id: row.source}) MATCH (b:Paper {id: row.target}) MERGE (a)-[r:BUILDS_ON]->(b) SET r.`via` = row.`via`
} IN TRANSACTIONS OF 1000 ROWS;

LOAD CSV WITH HEADERS FROM 'file:///rels_RELATED_TO.csv' AS line
CALL {
  WITH line
  WITH {source: line.`:START_ID(Paper)`, target: line.`:END_ID(Paper)`, `score`: toFloat(line.`score:double`), `entity_score`: toFloat(line.`entity_score:double`), `text_score`: toFloat(line.`text_score:double`), `rank`: toInteger(line.`rank:int`), `shared`: split(line.`shared:string[]`, ';'), `reason`: line.`reason`} AS row
  MATCH (a:Paper {id: row.source}) MATCH (b:Paper {id: row.target}) MERGE (a)-[r:RELATED_TO]->(b) SET r.`score` = row.`score`, r.`entity_score` = row.`entity_score`, r.`text_score` = row.`text_score`, r.`rank` = row.`rank`, r.`shared` = row.`shared`, r.`reason` = row.`reason`
} IN TRANSACTIONS OF 1000 ROWS;
