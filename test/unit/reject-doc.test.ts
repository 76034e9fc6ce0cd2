import { expect } from 'chai';
import { rejectValues } from '@hcingest/shared';

describe('store/rejectValues', () => {
  it("keys a rejected row's fields by the file's header names, as written", () => {
    expect(rejectValues(['\uFEFFName', ' Age ', 'Gender'], ['Ann', 'x', 'F'])).to.deep.equal({
      Name: 'Ann',
      Age: 'x',
      Gender: 'F',
    });
  });

  it('keys by position the fields without a usable name: beyond the header, empty, repeated or unstorable', () => {
    const values = rejectValues(['Name', '', 'Name', 'a.b', '$x'], ['1', '2', '3', '4', '5', '6']);
    expect(values).to.deep.equal({
      Name: '1',
      'column 2': '2',
      'column 3': '3',
      'column 4': '4',
      'column 5': '5',
      'column 6': '6',
    });
  });

  it('bounds what it keeps of a hostile row', () => {
    const values = rejectValues(
      [],
      Array.from({ length: 150 }, (_, i) => (i === 0 ? 'x'.repeat(10_000) : 'y')),
    );
    expect(Object.keys(values)).to.have.length(101);
    expect(values['column 1']).to.match(/^x{2000}…\[10000 chars\]$/);
    expect(values['…']).to.equal('[150 fields]');
  });
});
