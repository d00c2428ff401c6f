import { chooseCallerId } from './caller-id';

describe('chooseCallerId', () => {
  const trunk = { callerIdPrefixes: ['+4930', '+4940'], callerIdDefault: '+493000000000' };

  it('presents the first campaign caller ID that matches one of the trunk’s prefixes', () => {
    expect(chooseCallerId(trunk, ['+4989123456', '+4940555666', '+4930111222'])).toBe('+4940555666');
  });

  it('falls back to the trunk’s default when none matches', () => {
    expect(chooseCallerId(trunk, ['+4989123456'])).toBe('+493000000000');
    expect(chooseCallerId(trunk, [])).toBe('+493000000000');
  });

  it('refuses when nothing matches and the trunk has no default', () => {
    expect(chooseCallerId({ callerIdPrefixes: ['+44'], callerIdDefault: null }, ['+4930111222'])).toBeNull();
    expect(chooseCallerId({ callerIdPrefixes: [], callerIdDefault: null }, ['+4930111222'])).toBeNull();
  });

  it('never presents a malformed value, even one that starts with a prefix', () => {
    expect(chooseCallerId(trunk, ['+4930<sip:x@evil>', '+4930 111'])).toBe('+493000000000');
    expect(chooseCallerId({ callerIdPrefixes: ['+49'], callerIdDefault: 'anonymous' }, ['+4930;x=y'])).toBeNull();
  });

  it('ignores an empty prefix rather than matching everything', () => {
    expect(chooseCallerId({ callerIdPrefixes: [''], callerIdDefault: null }, ['+4930111222'])).toBeNull();
  });
});
