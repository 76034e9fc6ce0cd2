import { expect } from 'chai';
import { MongoServerError } from 'mongodb';
import { explainStoreError, StoreAccessError } from '@hcingest/shared';

describe('shared/store explainStoreError', () => {
  const refused = () => new MongoServerError({ message: 'Authentication failed.', code: 18 });

  it('names the user and the authentication database of a refused account, never the password', () => {
    const err = explainStoreError(
      refused(),
      'mongodb://wri%40ter:s3cr%2Fet@db1:27017,db2:27017/?authSource=healthcare',
    );
    expect(err).to.be.instanceOf(StoreAccessError);
    expect((err as Error).message)
      .to.include('user "wri@ter"')
      .and.to.include('authSource "healthcare"');
    expect((err as Error).message).to.match(/authentication failed/);
    expect((err as Error).message).to.not.include('s3cr');
  });

  it('takes the authentication database from the path when there is no authSource, else admin', () => {
    expect((explainStoreError(refused(), 'mongodb://u:p@h/hc?tls=true') as Error).message).to.include(
      'authSource "hc"',
    );
    expect((explainStoreError(refused(), 'mongodb://u:p@h:27017') as Error).message).to.include('authSource "admin"');
  });

  it('says which account a command needs when the account lacks a role', () => {
    const unauthorized = new MongoServerError({
      message: 'not authorized on hc to execute command (action: createIndex)',
      code: 13,
    });
    const err = explainStoreError(unauthorized, 'mongodb://reader:pw@h/?authSource=hc');
    expect(err).to.be.instanceOf(StoreAccessError);
    expect((err as Error).message)
      .to.include('user "reader"')
      .and.to.include('action: createIndex')
      .and.to.include('the writer account');
  });

  it('returns any other error as it is', () => {
    const other = new MongoServerError({ message: 'E11000 duplicate key', code: 11000 });
    expect(explainStoreError(other, 'mongodb://u:p@h')).to.equal(other);
    const plain = new Error('boom');
    expect(explainStoreError(plain, 'mongodb://u:p@h')).to.equal(plain);
  });
});
