"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __reExport = (target, mod, secondTarget) => (__copyProps(target, mod, "default"), secondTarget && __copyProps(secondTarget, mod, "default"));
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// node_modules/mocha/lib/utils/regexp.js
var regexp_exports = {};
__export(regexp_exports, {
  escapeRegExp: () => escapeRegExp
});
function escapeRegExp(value) {
  return value.replaceAll(/[|\\{}()[\]^$+*?.]/g, "\\$&").replaceAll("-", "\\x2d");
}
var init_regexp = __esm({
  "node_modules/mocha/lib/utils/regexp.js"() {
  }
});

// node_modules/diff/libesm/diff/base.js
var Diff;
var init_base = __esm({
  "node_modules/diff/libesm/diff/base.js"() {
    Diff = class {
      diff(oldStr, newStr, options = {}) {
        let callback;
        if (typeof options === "function") {
          callback = options;
          options = {};
        } else if ("callback" in options) {
          callback = options.callback;
        }
        const oldString = this.castInput(oldStr, options);
        const newString = this.castInput(newStr, options);
        const oldTokens = this.removeEmpty(this.tokenize(oldString, options));
        const newTokens = this.removeEmpty(this.tokenize(newString, options));
        return this.diffWithOptionsObj(oldTokens, newTokens, options, callback);
      }
      diffWithOptionsObj(oldTokens, newTokens, options, callback) {
        var _a;
        const done = (value) => {
          value = this.postProcess(value, options);
          if (callback) {
            setTimeout(function() {
              callback(value);
            }, 0);
            return void 0;
          } else {
            return value;
          }
        };
        const newLen = newTokens.length, oldLen = oldTokens.length;
        let editLength = 1;
        let maxEditLength = newLen + oldLen;
        if (options.maxEditLength != null) {
          maxEditLength = Math.min(maxEditLength, options.maxEditLength);
        }
        const maxExecutionTime = (_a = options.timeout) !== null && _a !== void 0 ? _a : Infinity;
        const abortAfterTimestamp = Date.now() + maxExecutionTime;
        const bestPath = [{ oldPos: -1, lastComponent: void 0 }];
        let newPos = this.extractCommon(bestPath[0], newTokens, oldTokens, 0, options);
        if (bestPath[0].oldPos + 1 >= oldLen && newPos + 1 >= newLen) {
          return done(this.buildValues(bestPath[0].lastComponent, newTokens, oldTokens));
        }
        let minDiagonalToConsider = -Infinity, maxDiagonalToConsider = Infinity;
        const execEditLength = () => {
          for (let diagonalPath = Math.max(minDiagonalToConsider, -editLength); diagonalPath <= Math.min(maxDiagonalToConsider, editLength); diagonalPath += 2) {
            let basePath;
            const removePath = bestPath[diagonalPath - 1], addPath = bestPath[diagonalPath + 1];
            if (removePath) {
              bestPath[diagonalPath - 1] = void 0;
            }
            let canAdd = false;
            if (addPath) {
              const addPathNewPos = addPath.oldPos - diagonalPath;
              canAdd = addPath && 0 <= addPathNewPos && addPathNewPos < newLen;
            }
            const canRemove = removePath && removePath.oldPos + 1 < oldLen;
            if (!canAdd && !canRemove) {
              bestPath[diagonalPath] = void 0;
              continue;
            }
            if (!canRemove || canAdd && removePath.oldPos < addPath.oldPos) {
              basePath = this.addToPath(addPath, true, false, 0, options);
            } else {
              basePath = this.addToPath(removePath, false, true, 1, options);
            }
            newPos = this.extractCommon(basePath, newTokens, oldTokens, diagonalPath, options);
            if (basePath.oldPos + 1 >= oldLen && newPos + 1 >= newLen) {
              return done(this.buildValues(basePath.lastComponent, newTokens, oldTokens)) || true;
            } else {
              bestPath[diagonalPath] = basePath;
              if (basePath.oldPos + 1 >= oldLen) {
                maxDiagonalToConsider = Math.min(maxDiagonalToConsider, diagonalPath - 1);
              }
              if (newPos + 1 >= newLen) {
                minDiagonalToConsider = Math.max(minDiagonalToConsider, diagonalPath + 1);
              }
            }
          }
          editLength++;
        };
        if (callback) {
          (function exec() {
            setTimeout(function() {
              if (editLength > maxEditLength || Date.now() > abortAfterTimestamp) {
                return callback(void 0);
              }
              if (!execEditLength()) {
                exec();
              }
            }, 0);
          })();
        } else {
          while (editLength <= maxEditLength && Date.now() <= abortAfterTimestamp) {
            const ret = execEditLength();
            if (ret) {
              return ret;
            }
          }
        }
      }
      addToPath(path4, added, removed, oldPosInc, options) {
        const last = path4.lastComponent;
        if (last && !options.oneChangePerToken && last.added === added && last.removed === removed) {
          return {
            oldPos: path4.oldPos + oldPosInc,
            lastComponent: { count: last.count + 1, added, removed, previousComponent: last.previousComponent }
          };
        } else {
          return {
            oldPos: path4.oldPos + oldPosInc,
            lastComponent: { count: 1, added, removed, previousComponent: last }
          };
        }
      }
      extractCommon(basePath, newTokens, oldTokens, diagonalPath, options) {
        const newLen = newTokens.length, oldLen = oldTokens.length;
        let oldPos = basePath.oldPos, newPos = oldPos - diagonalPath, commonCount = 0;
        while (newPos + 1 < newLen && oldPos + 1 < oldLen && this.equals(oldTokens[oldPos + 1], newTokens[newPos + 1], options)) {
          newPos++;
          oldPos++;
          commonCount++;
          if (options.oneChangePerToken) {
            basePath.lastComponent = { count: 1, previousComponent: basePath.lastComponent, added: false, removed: false };
          }
        }
        if (commonCount && !options.oneChangePerToken) {
          basePath.lastComponent = { count: commonCount, previousComponent: basePath.lastComponent, added: false, removed: false };
        }
        basePath.oldPos = oldPos;
        return newPos;
      }
      equals(left, right, options) {
        if (options.comparator) {
          return options.comparator(left, right);
        } else {
          return left === right || !!options.ignoreCase && left.toLowerCase() === right.toLowerCase();
        }
      }
      removeEmpty(array) {
        const ret = [];
        for (let i = 0; i < array.length; i++) {
          if (array[i]) {
            ret.push(array[i]);
          }
        }
        return ret;
      }
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      castInput(value, options) {
        return value;
      }
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      tokenize(value, options) {
        return Array.from(value);
      }
      join(chars) {
        return chars.join("");
      }
      postProcess(changeObjects, options) {
        return changeObjects;
      }
      get useLongestToken() {
        return false;
      }
      buildValues(lastComponent, newTokens, oldTokens) {
        const components = [];
        let nextComponent;
        while (lastComponent) {
          components.push(lastComponent);
          nextComponent = lastComponent.previousComponent;
          delete lastComponent.previousComponent;
          lastComponent = nextComponent;
        }
        components.reverse();
        const componentLen = components.length;
        let componentPos = 0, newPos = 0, oldPos = 0;
        for (; componentPos < componentLen; componentPos++) {
          const component = components[componentPos];
          if (!component.removed) {
            if (!component.added && this.useLongestToken) {
              let value = newTokens.slice(newPos, newPos + component.count);
              value = value.map(function(value2, i) {
                const oldValue = oldTokens[oldPos + i];
                return oldValue.length > value2.length ? oldValue : value2;
              });
              component.value = this.join(value);
            } else {
              component.value = this.join(newTokens.slice(newPos, newPos + component.count));
            }
            newPos += component.count;
            if (!component.added) {
              oldPos += component.count;
            }
          } else {
            component.value = this.join(oldTokens.slice(oldPos, oldPos + component.count));
            oldPos += component.count;
          }
        }
        return components;
      }
    };
  }
});

// node_modules/diff/libesm/util/string.js
function longestCommonPrefix(str1, str2) {
  let i;
  for (i = 0; i < str1.length && i < str2.length; i++) {
    if (str1[i] != str2[i]) {
      return str1.slice(0, i);
    }
  }
  return str1.slice(0, i);
}
function longestCommonSuffix(str1, str2) {
  let i;
  if (!str1 || !str2 || str1[str1.length - 1] != str2[str2.length - 1]) {
    return "";
  }
  for (i = 0; i < str1.length && i < str2.length; i++) {
    if (str1[str1.length - (i + 1)] != str2[str2.length - (i + 1)]) {
      return str1.slice(-i);
    }
  }
  return str1.slice(-i);
}
function replacePrefix(string, oldPrefix, newPrefix) {
  if (string.slice(0, oldPrefix.length) != oldPrefix) {
    throw Error(`string ${JSON.stringify(string)} doesn't start with prefix ${JSON.stringify(oldPrefix)}; this is a bug`);
  }
  return newPrefix + string.slice(oldPrefix.length);
}
function replaceSuffix(string, oldSuffix, newSuffix) {
  if (!oldSuffix) {
    return string + newSuffix;
  }
  if (string.slice(-oldSuffix.length) != oldSuffix) {
    throw Error(`string ${JSON.stringify(string)} doesn't end with suffix ${JSON.stringify(oldSuffix)}; this is a bug`);
  }
  return string.slice(0, -oldSuffix.length) + newSuffix;
}
function removePrefix(string, oldPrefix) {
  return replacePrefix(string, oldPrefix, "");
}
function removeSuffix(string, oldSuffix) {
  return replaceSuffix(string, oldSuffix, "");
}
function maximumOverlap(string1, string2) {
  return string2.slice(0, overlapCount(string1, string2));
}
function overlapCount(a, b) {
  let startA = 0;
  if (a.length > b.length) {
    startA = a.length - b.length;
  }
  let endB = b.length;
  if (a.length < b.length) {
    endB = a.length;
  }
  const map = Array(endB);
  let k = 0;
  map[0] = 0;
  for (let j = 1; j < endB; j++) {
    if (b[j] == b[k]) {
      map[j] = map[k];
    } else {
      map[j] = k;
    }
    while (k > 0 && b[j] != b[k]) {
      k = map[k];
    }
    if (b[j] == b[k]) {
      k++;
    }
  }
  k = 0;
  for (let i = startA; i < a.length; i++) {
    while (k > 0 && a[i] != b[k]) {
      k = map[k];
    }
    if (a[i] == b[k]) {
      k++;
    }
  }
  return k;
}
function segment(string, segmenter) {
  const parts = [];
  for (const segmentObj of Array.from(segmenter.segment(string))) {
    const segment2 = segmentObj.segment;
    if (parts.length && /\s/.test(parts[parts.length - 1]) && /\s/.test(segment2)) {
      parts[parts.length - 1] += segment2;
    } else {
      parts.push(segment2);
    }
  }
  return parts;
}
function trailingWs(string, segmenter) {
  if (segmenter) {
    return leadingAndTrailingWs(string, segmenter)[1];
  }
  let i;
  for (i = string.length - 1; i >= 0; i--) {
    if (!string[i].match(/\s/)) {
      break;
    }
  }
  return string.substring(i + 1);
}
function leadingWs(string, segmenter) {
  if (segmenter) {
    return leadingAndTrailingWs(string, segmenter)[0];
  }
  const match = string.match(/^\s*/);
  return match ? match[0] : "";
}
function leadingAndTrailingWs(string, segmenter) {
  if (!segmenter) {
    return [leadingWs(string), trailingWs(string)];
  }
  if (segmenter.resolvedOptions().granularity != "word") {
    throw new Error('The segmenter passed must have a granularity of "word"');
  }
  const segments = segment(string, segmenter);
  const firstSeg = segments[0];
  const lastSeg = segments[segments.length - 1];
  const head = /\s/.test(firstSeg) ? firstSeg : "";
  const tail = /\s/.test(lastSeg) ? lastSeg : "";
  return [head, tail];
}
var init_string = __esm({
  "node_modules/diff/libesm/util/string.js"() {
  }
});

// node_modules/diff/libesm/diff/word.js
function dedupeWhitespaceInChangeObjects(startKeep, deletion, insertion, endKeep, segmenter) {
  if (deletion && insertion) {
    const [oldWsPrefix, oldWsSuffix] = leadingAndTrailingWs(deletion.value, segmenter);
    const [newWsPrefix, newWsSuffix] = leadingAndTrailingWs(insertion.value, segmenter);
    if (startKeep) {
      const commonWsPrefix = longestCommonPrefix(oldWsPrefix, newWsPrefix);
      startKeep.value = replaceSuffix(startKeep.value, newWsPrefix, commonWsPrefix);
      deletion.value = removePrefix(deletion.value, commonWsPrefix);
      insertion.value = removePrefix(insertion.value, commonWsPrefix);
    }
    if (endKeep) {
      const commonWsSuffix = longestCommonSuffix(oldWsSuffix, newWsSuffix);
      endKeep.value = replacePrefix(endKeep.value, newWsSuffix, commonWsSuffix);
      deletion.value = removeSuffix(deletion.value, commonWsSuffix);
      insertion.value = removeSuffix(insertion.value, commonWsSuffix);
    }
  } else if (insertion) {
    if (startKeep) {
      const ws = leadingWs(insertion.value, segmenter);
      insertion.value = insertion.value.substring(ws.length);
    }
    if (endKeep) {
      const ws = leadingWs(endKeep.value, segmenter);
      endKeep.value = endKeep.value.substring(ws.length);
    }
  } else if (startKeep && endKeep) {
    const newWsFull = leadingWs(endKeep.value, segmenter), [delWsStart, delWsEnd] = leadingAndTrailingWs(deletion.value, segmenter);
    const newWsStart = longestCommonPrefix(newWsFull, delWsStart);
    deletion.value = removePrefix(deletion.value, newWsStart);
    const newWsEnd = longestCommonSuffix(removePrefix(newWsFull, newWsStart), delWsEnd);
    deletion.value = removeSuffix(deletion.value, newWsEnd);
    endKeep.value = replacePrefix(endKeep.value, newWsFull, newWsEnd);
    startKeep.value = replaceSuffix(startKeep.value, newWsFull, newWsFull.slice(0, newWsFull.length - newWsEnd.length));
  } else if (endKeep) {
    const endKeepWsPrefix = leadingWs(endKeep.value, segmenter);
    const deletionWsSuffix = trailingWs(deletion.value, segmenter);
    const overlap = maximumOverlap(deletionWsSuffix, endKeepWsPrefix);
    deletion.value = removeSuffix(deletion.value, overlap);
  } else if (startKeep) {
    const startKeepWsSuffix = trailingWs(startKeep.value, segmenter);
    const deletionWsPrefix = leadingWs(deletion.value, segmenter);
    const overlap = maximumOverlap(startKeepWsSuffix, deletionWsPrefix);
    deletion.value = removePrefix(deletion.value, overlap);
  }
}
function diffWordsWithSpace(oldStr, newStr, options) {
  return wordsWithSpaceDiff.diff(oldStr, newStr, options);
}
var extendedWordChars, tokenizeIncludingWhitespace, WordDiff, wordDiff, WordsWithSpaceDiff, wordsWithSpaceDiff;
var init_word = __esm({
  "node_modules/diff/libesm/diff/word.js"() {
    init_base();
    init_string();
    extendedWordChars = "a-zA-Z0-9_\\u{AD}\\u{C0}-\\u{D6}\\u{D8}-\\u{F6}\\u{F8}-\\u{2C6}\\u{2C8}-\\u{2D7}\\u{2DE}-\\u{2FF}\\u{1E00}-\\u{1EFF}";
    tokenizeIncludingWhitespace = new RegExp(`[${extendedWordChars}]+|\\s+|[^${extendedWordChars}]`, "ug");
    WordDiff = class extends Diff {
      equals(left, right, options) {
        if (options.ignoreCase) {
          left = left.toLowerCase();
          right = right.toLowerCase();
        }
        return left.trim() === right.trim();
      }
      tokenize(value, options = {}) {
        let parts;
        if (options.intlSegmenter) {
          const segmenter = options.intlSegmenter;
          if (segmenter.resolvedOptions().granularity != "word") {
            throw new Error('The segmenter passed must have a granularity of "word"');
          }
          parts = segment(value, segmenter);
        } else {
          parts = value.match(tokenizeIncludingWhitespace) || [];
        }
        const tokens = [];
        let prevPart = null;
        parts.forEach((part) => {
          if (/\s/.test(part)) {
            if (prevPart == null) {
              tokens.push(part);
            } else {
              tokens.push(tokens.pop() + part);
            }
          } else if (prevPart != null && /\s/.test(prevPart)) {
            if (tokens[tokens.length - 1] == prevPart) {
              tokens.push(tokens.pop() + part);
            } else {
              tokens.push(prevPart + part);
            }
          } else {
            tokens.push(part);
          }
          prevPart = part;
        });
        return tokens;
      }
      join(tokens) {
        return tokens.map((token, i) => {
          if (i == 0) {
            return token;
          } else {
            return token.replace(/^\s+/, "");
          }
        }).join("");
      }
      postProcess(changes, options) {
        if (!changes || options.oneChangePerToken) {
          return changes;
        }
        let lastKeep = null;
        let insertion = null;
        let deletion = null;
        changes.forEach((change) => {
          if (change.added) {
            insertion = change;
          } else if (change.removed) {
            deletion = change;
          } else {
            if (insertion || deletion) {
              dedupeWhitespaceInChangeObjects(lastKeep, deletion, insertion, change, options.intlSegmenter);
            }
            lastKeep = change;
            insertion = null;
            deletion = null;
          }
        });
        if (insertion || deletion) {
          dedupeWhitespaceInChangeObjects(lastKeep, deletion, insertion, null, options.intlSegmenter);
        }
        return changes;
      }
    };
    wordDiff = new WordDiff();
    WordsWithSpaceDiff = class extends Diff {
      tokenize(value) {
        const regex = new RegExp(`(\\r?\\n)|[${extendedWordChars}]+|[^\\S\\n\\r]+|[^${extendedWordChars}]`, "ug");
        return value.match(regex) || [];
      }
    };
    wordsWithSpaceDiff = new WordsWithSpaceDiff();
  }
});

// node_modules/diff/libesm/diff/line.js
function diffLines(oldStr, newStr, options) {
  return lineDiff.diff(oldStr, newStr, options);
}
function tokenize(value, options) {
  if (options.stripTrailingCr) {
    value = value.replace(/\r\n/g, "\n");
  }
  const retLines = [], linesAndNewlines = value.split(/(\n|\r\n)/);
  if (!linesAndNewlines[linesAndNewlines.length - 1]) {
    linesAndNewlines.pop();
  }
  for (let i = 0; i < linesAndNewlines.length; i++) {
    const line = linesAndNewlines[i];
    if (i % 2 && !options.newlineIsToken) {
      retLines[retLines.length - 1] += line;
    } else {
      retLines.push(line);
    }
  }
  return retLines;
}
var LineDiff, lineDiff;
var init_line = __esm({
  "node_modules/diff/libesm/diff/line.js"() {
    init_base();
    LineDiff = class extends Diff {
      constructor() {
        super(...arguments);
        this.tokenize = tokenize;
      }
      equals(left, right, options) {
        if (options.ignoreWhitespace) {
          if (!options.newlineIsToken || !left.includes("\n")) {
            left = left.trim();
          }
          if (!options.newlineIsToken || !right.includes("\n")) {
            right = right.trim();
          }
        } else if (options.ignoreNewlineAtEof && !options.newlineIsToken) {
          if (left.endsWith("\n")) {
            left = left.slice(0, -1);
          }
          if (right.endsWith("\n")) {
            right = right.slice(0, -1);
          }
        }
        return super.equals(left, right, options);
      }
    };
    lineDiff = new LineDiff();
  }
});

// node_modules/diff/libesm/patch/create.js
function needsQuoting(s) {
  for (let i = 0; i < s.length; i++) {
    if (s[i] < " " || s[i] > "~" || s[i] === '"' || s[i] === "\\") {
      return true;
    }
  }
  return false;
}
function quoteFileNameIfNeeded(s) {
  if (!needsQuoting(s)) {
    return s;
  }
  let result = '"';
  const bytes = new TextEncoder().encode(s);
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === 7) {
      result += "\\a";
    } else if (b === 8) {
      result += "\\b";
    } else if (b === 9) {
      result += "\\t";
    } else if (b === 10) {
      result += "\\n";
    } else if (b === 11) {
      result += "\\v";
    } else if (b === 12) {
      result += "\\f";
    } else if (b === 13) {
      result += "\\r";
    } else if (b === 34) {
      result += '\\"';
    } else if (b === 92) {
      result += "\\\\";
    } else if (b >= 32 && b <= 126) {
      result += String.fromCharCode(b);
    } else {
      result += "\\" + b.toString(8).padStart(3, "0");
    }
    i++;
  }
  result += '"';
  return result;
}
function structuredPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options) {
  let optionsObj;
  if (!options) {
    optionsObj = {};
  } else if (typeof options === "function") {
    optionsObj = { callback: options };
  } else {
    optionsObj = options;
  }
  if (typeof optionsObj.context === "undefined") {
    optionsObj.context = 4;
  }
  const context = optionsObj.context;
  if (optionsObj.newlineIsToken) {
    throw new Error("newlineIsToken may not be used with patch-generation functions, only with diffing functions");
  }
  if (!optionsObj.callback) {
    return diffLinesResultToPatch(diffLines(oldStr, newStr, optionsObj));
  } else {
    const { callback } = optionsObj;
    diffLines(oldStr, newStr, Object.assign(Object.assign({}, optionsObj), { callback: (diff) => {
      const patch = diffLinesResultToPatch(diff);
      callback(patch);
    } }));
  }
  function diffLinesResultToPatch(diff) {
    if (!diff) {
      return;
    }
    diff.push({ value: "", lines: [] });
    function contextLines(lines) {
      return lines.map(function(entry) {
        return " " + entry;
      });
    }
    const hunks = [];
    let oldRangeStart = 0, newRangeStart = 0, curRange = [], oldLine = 1, newLine = 1;
    for (let i = 0; i < diff.length; i++) {
      const current = diff[i], lines = current.lines || splitLines(current.value);
      current.lines = lines;
      if (current.added || current.removed) {
        if (!oldRangeStart) {
          const prev = diff[i - 1];
          oldRangeStart = oldLine;
          newRangeStart = newLine;
          if (prev) {
            curRange = context > 0 ? contextLines(prev.lines.slice(-context)) : [];
            oldRangeStart -= curRange.length;
            newRangeStart -= curRange.length;
          }
        }
        for (const line of lines) {
          curRange.push((current.added ? "+" : "-") + line);
        }
        if (current.added) {
          newLine += lines.length;
        } else {
          oldLine += lines.length;
        }
      } else {
        if (oldRangeStart) {
          if (lines.length <= context * 2 && i < diff.length - 2) {
            for (const line of contextLines(lines)) {
              curRange.push(line);
            }
          } else {
            const contextSize = Math.min(lines.length, context);
            for (const line of contextLines(lines.slice(0, contextSize))) {
              curRange.push(line);
            }
            const hunk = {
              oldStart: oldRangeStart,
              oldLines: oldLine - oldRangeStart + contextSize,
              newStart: newRangeStart,
              newLines: newLine - newRangeStart + contextSize,
              lines: curRange
            };
            hunks.push(hunk);
            oldRangeStart = 0;
            newRangeStart = 0;
            curRange = [];
          }
        }
        oldLine += lines.length;
        newLine += lines.length;
      }
    }
    for (const hunk of hunks) {
      for (let i = 0; i < hunk.lines.length; i++) {
        if (hunk.lines[i].endsWith("\n")) {
          hunk.lines[i] = hunk.lines[i].slice(0, -1);
        } else {
          hunk.lines.splice(i + 1, 0, "\\ No newline at end of file");
          i++;
        }
      }
    }
    return {
      oldFileName,
      newFileName,
      oldHeader,
      newHeader,
      hunks
    };
  }
}
function formatPatch(patch, headerOptions) {
  var _a, _b, _c, _d, _e, _f;
  if (!headerOptions) {
    headerOptions = INCLUDE_HEADERS;
  }
  if (Array.isArray(patch)) {
    if (patch.length > 1 && !headerOptions.includeFileHeaders && !patch.every((p) => p.isGit)) {
      throw new Error("Cannot omit file headers on a multi-file patch. (The result would be unparseable; how would a tool trying to apply the patch know which changes are to which file?)");
    }
    return patch.map((p) => formatPatch(p, headerOptions)).join("\n");
  }
  const ret = [];
  if (patch.isGit) {
    headerOptions = INCLUDE_HEADERS;
    if (!patch.oldFileName) {
      throw new Error("oldFileName must be specified for Git patches");
    }
    if (!patch.newFileName) {
      throw new Error("newFileName must be specified for Git patches");
    }
    let gitOldName = patch.oldFileName;
    let gitNewName = patch.newFileName;
    if (patch.isCreate && gitOldName === "/dev/null") {
      gitOldName = gitNewName.replace(/^b\//, "a/");
    } else if (patch.isDelete && gitNewName === "/dev/null") {
      gitNewName = gitOldName.replace(/^a\//, "b/");
    }
    ret.push("diff --git " + quoteFileNameIfNeeded(gitOldName) + " " + quoteFileNameIfNeeded(gitNewName));
    if (patch.isDelete) {
      ret.push("deleted file mode " + ((_a = patch.oldMode) !== null && _a !== void 0 ? _a : "100644"));
    }
    if (patch.isCreate) {
      ret.push("new file mode " + ((_b = patch.newMode) !== null && _b !== void 0 ? _b : "100644"));
    }
    if (patch.oldMode && patch.newMode && !patch.isDelete && !patch.isCreate) {
      ret.push("old mode " + patch.oldMode);
      ret.push("new mode " + patch.newMode);
    }
    if (patch.isRename) {
      ret.push("rename from " + quoteFileNameIfNeeded(((_c = patch.oldFileName) !== null && _c !== void 0 ? _c : "").replace(/^a\//, "")));
      ret.push("rename to " + quoteFileNameIfNeeded(((_d = patch.newFileName) !== null && _d !== void 0 ? _d : "").replace(/^b\//, "")));
    }
    if (patch.isCopy) {
      ret.push("copy from " + quoteFileNameIfNeeded(((_e = patch.oldFileName) !== null && _e !== void 0 ? _e : "").replace(/^a\//, "")));
      ret.push("copy to " + quoteFileNameIfNeeded(((_f = patch.newFileName) !== null && _f !== void 0 ? _f : "").replace(/^b\//, "")));
    }
  } else {
    if (headerOptions.includeIndex && patch.oldFileName == patch.newFileName && patch.oldFileName !== void 0) {
      ret.push("Index: " + patch.oldFileName);
    }
    if (headerOptions.includeUnderline) {
      ret.push("===================================================================");
    }
  }
  const hasHunks = patch.hunks.length > 0;
  if (headerOptions.includeFileHeaders && patch.oldFileName !== void 0 && patch.newFileName !== void 0 && (!patch.isGit || hasHunks)) {
    ret.push("--- " + quoteFileNameIfNeeded(patch.oldFileName) + (patch.oldHeader ? "	" + patch.oldHeader : ""));
    ret.push("+++ " + quoteFileNameIfNeeded(patch.newFileName) + (patch.newHeader ? "	" + patch.newHeader : ""));
  }
  for (let i = 0; i < patch.hunks.length; i++) {
    const hunk = patch.hunks[i];
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
    const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
    ret.push("@@ -" + oldStart + "," + hunk.oldLines + " +" + newStart + "," + hunk.newLines + " @@");
    for (const line of hunk.lines) {
      ret.push(line);
    }
  }
  return ret.join("\n") + "\n";
}
function createTwoFilesPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options) {
  if (typeof options === "function") {
    options = { callback: options };
  }
  if (!(options === null || options === void 0 ? void 0 : options.callback)) {
    const patchObj = structuredPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options);
    if (!patchObj) {
      return;
    }
    return formatPatch(patchObj, options === null || options === void 0 ? void 0 : options.headerOptions);
  } else {
    const { callback } = options;
    structuredPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, Object.assign(Object.assign({}, options), { callback: (patchObj) => {
      if (!patchObj) {
        callback(void 0);
      } else {
        callback(formatPatch(patchObj, options.headerOptions));
      }
    } }));
  }
}
function createPatch(fileName, oldStr, newStr, oldHeader, newHeader, options) {
  return createTwoFilesPatch(fileName, fileName, oldStr, newStr, oldHeader, newHeader, options);
}
function splitLines(text2) {
  const hasTrailingNl = text2.endsWith("\n");
  const result = text2.split("\n").map((line) => line + "\n");
  if (hasTrailingNl) {
    result.pop();
  } else {
    result.push(result.pop().slice(0, -1));
  }
  return result;
}
var INCLUDE_HEADERS;
var init_create = __esm({
  "node_modules/diff/libesm/patch/create.js"() {
    init_line();
    INCLUDE_HEADERS = {
      includeIndex: true,
      includeUnderline: true,
      includeFileHeaders: true
    };
  }
});

// node_modules/diff/libesm/index.js
var init_libesm = __esm({
  "node_modules/diff/libesm/index.js"() {
    init_word();
    init_create();
  }
});

// node_modules/ms/index.js
var require_ms = __commonJS({
  "node_modules/ms/index.js"(exports2, module2) {
    var s = 1e3;
    var m = s * 60;
    var h = m * 60;
    var d2 = h * 24;
    var w = d2 * 7;
    var y = d2 * 365.25;
    module2.exports = function(val, options) {
      options = options || {};
      var type2 = typeof val;
      if (type2 === "string" && val.length > 0) {
        return parse(val);
      } else if (type2 === "number" && isFinite(val)) {
        return options.long ? fmtLong(val) : fmtShort(val);
      }
      throw new Error(
        "val is not a non-empty string or a valid number. val=" + JSON.stringify(val)
      );
    };
    function parse(str) {
      str = String(str);
      if (str.length > 100) {
        return;
      }
      var match = /^(-?(?:\d+)?\.?\d+) *(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)?$/i.exec(
        str
      );
      if (!match) {
        return;
      }
      var n = parseFloat(match[1]);
      var type2 = (match[2] || "ms").toLowerCase();
      switch (type2) {
        case "years":
        case "year":
        case "yrs":
        case "yr":
        case "y":
          return n * y;
        case "weeks":
        case "week":
        case "w":
          return n * w;
        case "days":
        case "day":
        case "d":
          return n * d2;
        case "hours":
        case "hour":
        case "hrs":
        case "hr":
        case "h":
          return n * h;
        case "minutes":
        case "minute":
        case "mins":
        case "min":
        case "m":
          return n * m;
        case "seconds":
        case "second":
        case "secs":
        case "sec":
        case "s":
          return n * s;
        case "milliseconds":
        case "millisecond":
        case "msecs":
        case "msec":
        case "ms":
          return n;
        default:
          return void 0;
      }
    }
    function fmtShort(ms2) {
      var msAbs = Math.abs(ms2);
      if (msAbs >= d2) {
        return Math.round(ms2 / d2) + "d";
      }
      if (msAbs >= h) {
        return Math.round(ms2 / h) + "h";
      }
      if (msAbs >= m) {
        return Math.round(ms2 / m) + "m";
      }
      if (msAbs >= s) {
        return Math.round(ms2 / s) + "s";
      }
      return ms2 + "ms";
    }
    function fmtLong(ms2) {
      var msAbs = Math.abs(ms2);
      if (msAbs >= d2) {
        return plural(ms2, msAbs, d2, "day");
      }
      if (msAbs >= h) {
        return plural(ms2, msAbs, h, "hour");
      }
      if (msAbs >= m) {
        return plural(ms2, msAbs, m, "minute");
      }
      if (msAbs >= s) {
        return plural(ms2, msAbs, s, "second");
      }
      return ms2 + " ms";
    }
    function plural(ms2, msAbs, n, name) {
      var isPlural = msAbs >= n * 1.5;
      return Math.round(ms2 / n) + " " + name + (isPlural ? "s" : "");
    }
  }
});

// node_modules/picocolors/picocolors.js
var require_picocolors = __commonJS({
  "node_modules/picocolors/picocolors.js"(exports2, module2) {
    var p = process || {};
    var argv = p.argv || [];
    var env = p.env || {};
    var isColorSupported = !(!!env.NO_COLOR || argv.includes("--no-color")) && (!!env.FORCE_COLOR || argv.includes("--color") || p.platform === "win32" || (p.stdout || {}).isTTY && env.TERM !== "dumb" || !!env.CI);
    var formatter = (open, close, replace = open) => (input) => {
      let string = "" + input, index = string.indexOf(close, open.length);
      return ~index ? open + replaceClose(string, close, replace, index) + close : open + string + close;
    };
    var replaceClose = (string, close, replace, index) => {
      let result = "", cursor4 = 0;
      do {
        result += string.substring(cursor4, index) + replace;
        cursor4 = index + close.length;
        index = string.indexOf(close, cursor4);
      } while (~index);
      return result + string.substring(cursor4);
    };
    var createColors = (enabled = isColorSupported) => {
      let f = enabled ? formatter : () => String;
      return {
        isColorSupported: enabled,
        reset: f("\x1B[0m", "\x1B[0m"),
        bold: f("\x1B[1m", "\x1B[22m", "\x1B[22m\x1B[1m"),
        dim: f("\x1B[2m", "\x1B[22m", "\x1B[22m\x1B[2m"),
        italic: f("\x1B[3m", "\x1B[23m"),
        underline: f("\x1B[4m", "\x1B[24m"),
        inverse: f("\x1B[7m", "\x1B[27m"),
        hidden: f("\x1B[8m", "\x1B[28m"),
        strikethrough: f("\x1B[9m", "\x1B[29m"),
        black: f("\x1B[30m", "\x1B[39m"),
        red: f("\x1B[31m", "\x1B[39m"),
        green: f("\x1B[32m", "\x1B[39m"),
        yellow: f("\x1B[33m", "\x1B[39m"),
        blue: f("\x1B[34m", "\x1B[39m"),
        magenta: f("\x1B[35m", "\x1B[39m"),
        cyan: f("\x1B[36m", "\x1B[39m"),
        white: f("\x1B[37m", "\x1B[39m"),
        gray: f("\x1B[90m", "\x1B[39m"),
        bgBlack: f("\x1B[40m", "\x1B[49m"),
        bgRed: f("\x1B[41m", "\x1B[49m"),
        bgGreen: f("\x1B[42m", "\x1B[49m"),
        bgYellow: f("\x1B[43m", "\x1B[49m"),
        bgBlue: f("\x1B[44m", "\x1B[49m"),
        bgMagenta: f("\x1B[45m", "\x1B[49m"),
        bgCyan: f("\x1B[46m", "\x1B[49m"),
        bgWhite: f("\x1B[47m", "\x1B[49m"),
        blackBright: f("\x1B[90m", "\x1B[39m"),
        redBright: f("\x1B[91m", "\x1B[39m"),
        greenBright: f("\x1B[92m", "\x1B[39m"),
        yellowBright: f("\x1B[93m", "\x1B[39m"),
        blueBright: f("\x1B[94m", "\x1B[39m"),
        magentaBright: f("\x1B[95m", "\x1B[39m"),
        cyanBright: f("\x1B[96m", "\x1B[39m"),
        whiteBright: f("\x1B[97m", "\x1B[39m"),
        bgBlackBright: f("\x1B[100m", "\x1B[49m"),
        bgRedBright: f("\x1B[101m", "\x1B[49m"),
        bgGreenBright: f("\x1B[102m", "\x1B[49m"),
        bgYellowBright: f("\x1B[103m", "\x1B[49m"),
        bgBlueBright: f("\x1B[104m", "\x1B[49m"),
        bgMagentaBright: f("\x1B[105m", "\x1B[49m"),
        bgCyanBright: f("\x1B[106m", "\x1B[49m"),
        bgWhiteBright: f("\x1B[107m", "\x1B[49m")
      };
    };
    module2.exports = createColors();
    module2.exports.createColors = createColors;
  }
});

// node_modules/is-unicode-supported/index.js
var require_is_unicode_supported = __commonJS({
  "node_modules/is-unicode-supported/index.js"(exports2, module2) {
    "use strict";
    module2.exports = () => {
      if (process.platform !== "win32") {
        return true;
      }
      return Boolean(process.env.CI) || Boolean(process.env.WT_SESSION) || // Windows Terminal
      process.env.TERM_PROGRAM === "vscode" || process.env.TERM === "xterm-256color" || process.env.TERM === "alacritty";
    };
  }
});

// node_modules/mocha/lib/utils.cjs
var require_utils = __commonJS({
  "node_modules/mocha/lib/utils.cjs"(exports2) {
    "use strict";
    var path4 = require("node:path");
    var pc = require_picocolors();
    var isUnicodeSupported = require_is_unicode_supported()();
    var MOCHA_ID_PROP_NAME4 = "__mocha_id__";
    function htmlCodePointEscape(codePoint) {
      return "&#x" + codePoint.toString(16).toUpperCase() + ";";
    }
    function shouldEscapeHtmlChar(codePoint) {
      return codePoint >= 1 && codePoint <= 9 || codePoint === 11 || codePoint === 12 || codePoint >= 14 && codePoint <= 31 || codePoint === 34 || codePoint === 38 || codePoint === 39 || codePoint === 60 || codePoint === 62 || codePoint === 96 || codePoint === 127 || codePoint === 129 || codePoint === 141 || codePoint === 143 || codePoint === 144 || codePoint === 157 || codePoint >= 160;
    }
    exports2.escape = function(html) {
      var string = String(html);
      var escaped = "";
      for (var index = 0; index < string.length; index++) {
        var codePoint = string.charCodeAt(index);
        if (codePoint >= 55296 && codePoint <= 56319 && index + 1 < string.length) {
          var low = string.charCodeAt(index + 1);
          if (low >= 56320 && low <= 57343) {
            codePoint = (codePoint - 55296) * 1024 + low - 56320 + 65536;
            escaped += htmlCodePointEscape(codePoint);
            index++;
            continue;
          }
        }
        escaped += shouldEscapeHtmlChar(codePoint) ? htmlCodePointEscape(codePoint) : string.charAt(index);
      }
      return escaped;
    };
    exports2.isString = function(obj) {
      return typeof obj === "string";
    };
    exports2.slug = function(str) {
      return str.toLowerCase().replace(/\s+/g, "-").replace(/[^-\w]/g, "").replace(/-{2,}/g, "-");
    };
    exports2.clean = function(str) {
      str = str.replace(/\r\n?|[\n\u2028\u2029]/g, "\n").replace(/^\uFEFF/, "").replace(
        /^function(?:\s*|\s[^(]*)\([^)]*\)\s*\{((?:.|\n)*?)\}$|^\([^)]*\)\s*=>\s*(?:\{((?:.|\n)*?)\}|((?:.|\n)*))$/,
        "$1$2$3"
      );
      var spaces = str.match(/^\n?( *)/)[1].length;
      var tabs = str.match(/^\n?(\t*)/)[1].length;
      var re = new RegExp(
        "^\n?" + (tabs ? "	" : " ") + "{" + (tabs || spaces) + "}",
        "gm"
      );
      str = str.replace(re, "");
      return str.trim();
    };
    function emptyRepresentation(value, typeHint) {
      switch (typeHint) {
        case "function":
          return "[Function]";
        case "null-prototype":
        case "object":
          return "{}";
        case "array":
          return "[]";
        default:
          return value.toString();
      }
    }
    var canonicalType = exports2.canonicalType = function canonicalType2(value) {
      if (value === void 0) {
        return "undefined";
      } else if (value === null) {
        return "null";
      } else if (Buffer.isBuffer(value)) {
        return "buffer";
      } else if (Object.getPrototypeOf(value) === null) {
        return "null-prototype";
      }
      return Object.prototype.toString.call(value).replace(/^\[.+\s(.+?)]$/, "$1").toLowerCase();
    };
    exports2.type = function type2(value) {
      if (value === null) return "null";
      const primitives = /* @__PURE__ */ new Set([
        "undefined",
        "boolean",
        "number",
        "string",
        "bigint",
        "symbol"
      ]);
      const _type = typeof value;
      if (_type === "function") return _type;
      if (primitives.has(_type)) return _type;
      if (value instanceof String) return "string";
      if (value instanceof Error) return "error";
      if (Array.isArray(value)) return "array";
      return _type;
    };
    exports2.stringify = function(value) {
      var typeHint = canonicalType(value);
      if (!~["object", "array", "function", "null-prototype"].indexOf(typeHint)) {
        if (typeHint === "buffer") {
          var json = Buffer.prototype.toJSON.call(value);
          return jsonStringify(
            json.data && json.type ? json.data : json,
            2
          ).replace(/,(\n|$)/g, "$1");
        }
        if (typeHint === "string" && typeof value === "object") {
          value = value.split("").reduce(function(acc, char, idx) {
            acc[idx] = char;
            return acc;
          }, {});
          typeHint = "object";
        } else {
          return jsonStringify(value);
        }
      }
      for (var prop in value) {
        if (Object.prototype.hasOwnProperty.call(value, prop)) {
          return jsonStringify(
            exports2.canonicalize(value, null, typeHint),
            2
          ).replace(/,(\n|$)/g, "$1");
        }
      }
      return emptyRepresentation(value, typeHint);
    };
    function jsonStringify(object, spaces, depth) {
      if (typeof spaces === "undefined") {
        return _stringify(object);
      }
      depth = depth || 1;
      var space = spaces * depth;
      var str = Array.isArray(object) ? "[" : "{";
      var end = Array.isArray(object) ? "]" : "}";
      var length = typeof object.length === "number" ? object.length : Object.keys(object).length;
      function _stringify(val) {
        switch (canonicalType(val)) {
          case "null":
          case "undefined":
            val = "[" + val + "]";
            break;
          case "array":
          case "object":
            val = jsonStringify(val, spaces, depth + 1);
            break;
          case "boolean":
          case "regexp":
          case "symbol":
          case "number":
            val = val === 0 && 1 / val === -Infinity ? "-0" : val.toString();
            break;
          case "bigint":
            val = val.toString() + "n";
            break;
          case "date":
            var sDate = isNaN(val.getTime()) ? val.toString() : val.toISOString();
            val = "[Date: " + sDate + "]";
            break;
          case "buffer":
            var json = val.toJSON();
            json = json.data && json.type ? json.data : json;
            val = "[Buffer: " + jsonStringify(json, 2, depth + 1) + "]";
            break;
          default:
            val = val === "[Function]" || val === "[Circular]" ? val : JSON.stringify(val);
        }
        return val;
      }
      for (var i in object) {
        if (!Object.prototype.hasOwnProperty.call(object, i)) {
          continue;
        }
        --length;
        str += "\n " + " ".repeat(space - 1) + (Array.isArray(object) ? "" : '"' + i + '": ') + // key
        _stringify(object[i]) + // value
        (length ? "," : "");
      }
      return str + // [], {}
      (str.length !== 1 ? "\n" + " ".repeat(Math.max(0, space - 2)) + end : end);
    }
    exports2.canonicalize = function canonicalize(value, stack, typeHint) {
      var canonicalizedObj;
      var prop;
      typeHint = typeHint || canonicalType(value);
      function withStack(value2, fn) {
        stack.push(value2);
        fn();
        stack.pop();
      }
      stack = stack || [];
      if (stack.indexOf(value) !== -1) {
        return "[Circular]";
      }
      switch (typeHint) {
        case "undefined":
        case "buffer":
        case "null":
          canonicalizedObj = value;
          break;
        case "array":
          withStack(value, function() {
            canonicalizedObj = value.map(function(item) {
              return exports2.canonicalize(item, stack);
            });
          });
          break;
        case "function":
          for (prop in value) {
            canonicalizedObj = {};
            break;
          }
          if (!canonicalizedObj) {
            canonicalizedObj = emptyRepresentation(value, typeHint);
            break;
          }
        /* falls through */
        case "null-prototype":
        case "object":
          canonicalizedObj = canonicalizedObj || {};
          if (typeHint === "null-prototype" && Symbol.toStringTag in value) {
            canonicalizedObj["[Symbol.toStringTag]"] = value[Symbol.toStringTag];
          }
          withStack(value, function() {
            Object.keys(value).sort().forEach(function(key) {
              canonicalizedObj[key] = exports2.canonicalize(value[key], stack);
            });
          });
          break;
        case "date":
        case "number":
        case "regexp":
        case "boolean":
        case "symbol":
          canonicalizedObj = value;
          break;
        default:
          canonicalizedObj = value + "";
      }
      return canonicalizedObj;
    };
    exports2.stackTraceFilter = function() {
      var is = typeof document === "undefined" ? { node: true } : { browser: true };
      var slash = path4.sep;
      var cwd;
      if (is.node) {
        cwd = exports2.cwd() + slash;
      } else {
        cwd = (typeof location === "undefined" ? window.location : location).href.replace(/\/[^/]*$/, "/");
        slash = "/";
      }
      function isMochaInternal(line) {
        return ~line.indexOf("node_modules" + slash + "mocha" + slash) || ~line.indexOf(slash + "mocha.js") || ~line.indexOf(slash + "mocha.min.js");
      }
      function isNodeInternal(line) {
        return ~line.indexOf("(timers.js:") || ~line.indexOf("(events.js:") || ~line.indexOf("(node.js:") || ~line.indexOf("(module.js:") || ~line.indexOf("GeneratorFunctionPrototype.next (native)") || false;
      }
      return function(stack) {
        stack = stack.split("\n");
        stack = stack.reduce(function(list, line) {
          if (isMochaInternal(line)) {
            return list;
          }
          if (is.node && isNodeInternal(line)) {
            return list;
          }
          if (/:\d+:\d+\)?$/.test(line)) {
            line = line.replace("(" + cwd, "(");
          }
          list.push(line);
          return list;
        }, []);
        return stack.join("\n");
      };
    };
    exports2.isPromise = function isPromise(value) {
      return typeof value === "object" && value !== null && typeof value.then === "function";
    };
    exports2.clamp = function clamp2(value, range) {
      return Math.min(Math.max(value, range[0]), range[1]);
    };
    exports2.noop = function() {
    };
    exports2.createMap = function() {
      return Object.assign.apply(
        null,
        [/* @__PURE__ */ Object.create(null)].concat(Array.prototype.slice.call(arguments))
      );
    };
    exports2.defineConstants = function(obj) {
      if (canonicalType(obj) !== "object" || !Object.keys(obj).length) {
        throw new TypeError("Invalid argument; expected a non-empty object");
      }
      return Object.freeze(exports2.createMap(obj));
    };
    exports2.cwd = function cwd() {
      return process.cwd();
    };
    exports2.isBrowser = function isBrowser2() {
      return Boolean(process.browser);
    };
    exports2.castArray = function castArray(value) {
      if (value === void 0) {
        return [];
      }
      if (value === null) {
        return [null];
      }
      if (typeof value === "object" && (typeof value[Symbol.iterator] === "function" || value.length !== void 0)) {
        return Array.from(value);
      }
      return [value];
    };
    exports2.constants = exports2.defineConstants({
      MOCHA_ID_PROP_NAME: MOCHA_ID_PROP_NAME4
    });
    var uniqueIDBase = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
    exports2.uniqueID = () => {
      let id = "";
      for (let i = 0; i < 21; i++) {
        id += uniqueIDBase[Math.random() * 64 | 0];
      }
      return id;
    };
    exports2.assignNewMochaID = (obj) => {
      const id = exports2.uniqueID();
      Object.defineProperty(obj, MOCHA_ID_PROP_NAME4, {
        get() {
          return id;
        }
      });
      return obj;
    };
    exports2.getMochaID = (obj) => obj && typeof obj === "object" ? obj[MOCHA_ID_PROP_NAME4] : void 0;
    exports2.breakCircularDeps = (inputObj) => {
      const seen = /* @__PURE__ */ new Set();
      function _breakCircularDeps(obj) {
        if (obj && typeof obj !== "object") {
          return obj;
        }
        if (seen.has(obj)) {
          return "[Circular]";
        }
        seen.add(obj);
        for (const k in obj) {
          const descriptor = Object.getOwnPropertyDescriptor(obj, k);
          if (descriptor && descriptor.writable) {
            obj[k] = _breakCircularDeps(obj[k], k);
          }
        }
        seen.delete(obj);
        return obj;
      }
      return _breakCircularDeps(inputObj);
    };
    exports2.isNumeric = (input) => {
      return String(input).trim() !== "" && !isNaN(Number(input));
    };
    exports2.isCI = () => {
      return !!process.env.CI;
    };
    exports2.logSymbols = {
      info: pc.blue(isUnicodeSupported ? "\u2139" : "i"),
      success: pc.green(isUnicodeSupported ? "\u2714" : "\u221A"),
      warning: pc.yellow(isUnicodeSupported ? "\u26A0" : "\u203C"),
      error: pc.red(isUnicodeSupported ? "\u2716" : "\xD7")
    };
  }
});

// node_modules/has-flag/index.js
var require_has_flag = __commonJS({
  "node_modules/has-flag/index.js"(exports2, module2) {
    "use strict";
    module2.exports = (flag, argv = process.argv) => {
      const prefix = flag.startsWith("-") ? "" : flag.length === 1 ? "-" : "--";
      const position = argv.indexOf(prefix + flag);
      const terminatorPosition = argv.indexOf("--");
      return position !== -1 && (terminatorPosition === -1 || position < terminatorPosition);
    };
  }
});

// node_modules/mocha/node_modules/supports-color/index.js
var require_supports_color = __commonJS({
  "node_modules/mocha/node_modules/supports-color/index.js"(exports2, module2) {
    "use strict";
    var os = require("os");
    var tty = require("tty");
    var hasFlag = require_has_flag();
    var { env } = process;
    var flagForceColor;
    if (hasFlag("no-color") || hasFlag("no-colors") || hasFlag("color=false") || hasFlag("color=never")) {
      flagForceColor = 0;
    } else if (hasFlag("color") || hasFlag("colors") || hasFlag("color=true") || hasFlag("color=always")) {
      flagForceColor = 1;
    }
    function envForceColor() {
      if ("FORCE_COLOR" in env) {
        if (env.FORCE_COLOR === "true") {
          return 1;
        }
        if (env.FORCE_COLOR === "false") {
          return 0;
        }
        return env.FORCE_COLOR.length === 0 ? 1 : Math.min(Number.parseInt(env.FORCE_COLOR, 10), 3);
      }
    }
    function translateLevel(level) {
      if (level === 0) {
        return false;
      }
      return {
        level,
        hasBasic: true,
        has256: level >= 2,
        has16m: level >= 3
      };
    }
    function supportsColor2(haveStream, { streamIsTTY, sniffFlags = true } = {}) {
      const noFlagForceColor = envForceColor();
      if (noFlagForceColor !== void 0) {
        flagForceColor = noFlagForceColor;
      }
      const forceColor = sniffFlags ? flagForceColor : noFlagForceColor;
      if (forceColor === 0) {
        return 0;
      }
      if (sniffFlags) {
        if (hasFlag("color=16m") || hasFlag("color=full") || hasFlag("color=truecolor")) {
          return 3;
        }
        if (hasFlag("color=256")) {
          return 2;
        }
      }
      if (haveStream && !streamIsTTY && forceColor === void 0) {
        return 0;
      }
      const min = forceColor || 0;
      if (env.TERM === "dumb") {
        return min;
      }
      if (process.platform === "win32") {
        const osRelease = os.release().split(".");
        if (Number(osRelease[0]) >= 10 && Number(osRelease[2]) >= 10586) {
          return Number(osRelease[2]) >= 14931 ? 3 : 2;
        }
        return 1;
      }
      if ("CI" in env) {
        if (["TRAVIS", "CIRCLECI", "APPVEYOR", "GITLAB_CI", "GITHUB_ACTIONS", "BUILDKITE", "DRONE"].some((sign) => sign in env) || env.CI_NAME === "codeship") {
          return 1;
        }
        return min;
      }
      if ("TEAMCITY_VERSION" in env) {
        return /^(9\.(0*[1-9]\d*)\.|\d{2,}\.)/.test(env.TEAMCITY_VERSION) ? 1 : 0;
      }
      if (env.COLORTERM === "truecolor") {
        return 3;
      }
      if ("TERM_PROGRAM" in env) {
        const version = Number.parseInt((env.TERM_PROGRAM_VERSION || "").split(".")[0], 10);
        switch (env.TERM_PROGRAM) {
          case "iTerm.app":
            return version >= 3 ? 3 : 2;
          case "Apple_Terminal":
            return 2;
        }
      }
      if (/-256(color)?$/i.test(env.TERM)) {
        return 2;
      }
      if (/^screen|^xterm|^vt100|^vt220|^rxvt|color|ansi|cygwin|linux/i.test(env.TERM)) {
        return 1;
      }
      if ("COLORTERM" in env) {
        return 1;
      }
      return min;
    }
    function getSupportLevel(stream, options = {}) {
      const level = supportsColor2(stream, {
        streamIsTTY: stream && stream.isTTY,
        ...options
      });
      return translateLevel(level);
    }
    module2.exports = {
      supportsColor: getSupportLevel,
      stdout: getSupportLevel({ isTTY: tty.isatty(1) }),
      stderr: getSupportLevel({ isTTY: tty.isatty(2) })
    };
  }
});

// node_modules/mocha/node_modules/debug/src/common.js
var require_common = __commonJS({
  "node_modules/mocha/node_modules/debug/src/common.js"(exports2, module2) {
    function setup(env) {
      createDebug.debug = createDebug;
      createDebug.default = createDebug;
      createDebug.coerce = coerce;
      createDebug.disable = disable;
      createDebug.enable = enable;
      createDebug.enabled = enabled;
      createDebug.humanize = require_ms();
      createDebug.destroy = destroy;
      Object.keys(env).forEach((key) => {
        createDebug[key] = env[key];
      });
      createDebug.names = [];
      createDebug.skips = [];
      createDebug.formatters = {};
      function selectColor(namespace) {
        let hash = 0;
        for (let i = 0; i < namespace.length; i++) {
          hash = (hash << 5) - hash + namespace.charCodeAt(i);
          hash |= 0;
        }
        return createDebug.colors[Math.abs(hash) % createDebug.colors.length];
      }
      createDebug.selectColor = selectColor;
      function createDebug(namespace) {
        let prevTime;
        let enableOverride = null;
        let namespacesCache;
        let enabledCache;
        function debug5(...args) {
          if (!debug5.enabled) {
            return;
          }
          const self2 = debug5;
          const curr = Number(/* @__PURE__ */ new Date());
          const ms2 = curr - (prevTime || curr);
          self2.diff = ms2;
          self2.prev = prevTime;
          self2.curr = curr;
          prevTime = curr;
          args[0] = createDebug.coerce(args[0]);
          if (typeof args[0] !== "string") {
            args.unshift("%O");
          }
          let index = 0;
          args[0] = args[0].replace(/%([a-zA-Z%])/g, (match, format2) => {
            if (match === "%%") {
              return "%";
            }
            index++;
            const formatter = createDebug.formatters[format2];
            if (typeof formatter === "function") {
              const val = args[index];
              match = formatter.call(self2, val);
              args.splice(index, 1);
              index--;
            }
            return match;
          });
          createDebug.formatArgs.call(self2, args);
          const logFn = self2.log || createDebug.log;
          logFn.apply(self2, args);
        }
        debug5.namespace = namespace;
        debug5.useColors = createDebug.useColors();
        debug5.color = createDebug.selectColor(namespace);
        debug5.extend = extend;
        debug5.destroy = createDebug.destroy;
        Object.defineProperty(debug5, "enabled", {
          enumerable: true,
          configurable: false,
          get: () => {
            if (enableOverride !== null) {
              return enableOverride;
            }
            if (namespacesCache !== createDebug.namespaces) {
              namespacesCache = createDebug.namespaces;
              enabledCache = createDebug.enabled(namespace);
            }
            return enabledCache;
          },
          set: (v) => {
            enableOverride = v;
          }
        });
        if (typeof createDebug.init === "function") {
          createDebug.init(debug5);
        }
        return debug5;
      }
      function extend(namespace, delimiter) {
        const newDebug = createDebug(this.namespace + (typeof delimiter === "undefined" ? ":" : delimiter) + namespace);
        newDebug.log = this.log;
        return newDebug;
      }
      function enable(namespaces) {
        createDebug.save(namespaces);
        createDebug.namespaces = namespaces;
        createDebug.names = [];
        createDebug.skips = [];
        const split = (typeof namespaces === "string" ? namespaces : "").trim().replace(/\s+/g, ",").split(",").filter(Boolean);
        for (const ns of split) {
          if (ns[0] === "-") {
            createDebug.skips.push(ns.slice(1));
          } else {
            createDebug.names.push(ns);
          }
        }
      }
      function matchesTemplate(search, template) {
        let searchIndex = 0;
        let templateIndex = 0;
        let starIndex = -1;
        let matchIndex = 0;
        while (searchIndex < search.length) {
          if (templateIndex < template.length && (template[templateIndex] === search[searchIndex] || template[templateIndex] === "*")) {
            if (template[templateIndex] === "*") {
              starIndex = templateIndex;
              matchIndex = searchIndex;
              templateIndex++;
            } else {
              searchIndex++;
              templateIndex++;
            }
          } else if (starIndex !== -1) {
            templateIndex = starIndex + 1;
            matchIndex++;
            searchIndex = matchIndex;
          } else {
            return false;
          }
        }
        while (templateIndex < template.length && template[templateIndex] === "*") {
          templateIndex++;
        }
        return templateIndex === template.length;
      }
      function disable() {
        const namespaces = [
          ...createDebug.names,
          ...createDebug.skips.map((namespace) => "-" + namespace)
        ].join(",");
        createDebug.enable("");
        return namespaces;
      }
      function enabled(name) {
        for (const skip of createDebug.skips) {
          if (matchesTemplate(name, skip)) {
            return false;
          }
        }
        for (const ns of createDebug.names) {
          if (matchesTemplate(name, ns)) {
            return true;
          }
        }
        return false;
      }
      function coerce(val) {
        if (val instanceof Error) {
          return val.stack || val.message;
        }
        return val;
      }
      function destroy() {
        console.warn("Instance method `debug.destroy()` is deprecated and no longer does anything. It will be removed in the next major version of `debug`.");
      }
      createDebug.enable(createDebug.load());
      return createDebug;
    }
    module2.exports = setup;
  }
});

// node_modules/mocha/node_modules/debug/src/browser.js
var require_browser = __commonJS({
  "node_modules/mocha/node_modules/debug/src/browser.js"(exports2, module2) {
    exports2.formatArgs = formatArgs;
    exports2.save = save;
    exports2.load = load;
    exports2.useColors = useColors;
    exports2.storage = localstorage();
    exports2.destroy = /* @__PURE__ */ (() => {
      let warned = false;
      return () => {
        if (!warned) {
          warned = true;
          console.warn("Instance method `debug.destroy()` is deprecated and no longer does anything. It will be removed in the next major version of `debug`.");
        }
      };
    })();
    exports2.colors = [
      "#0000CC",
      "#0000FF",
      "#0033CC",
      "#0033FF",
      "#0066CC",
      "#0066FF",
      "#0099CC",
      "#0099FF",
      "#00CC00",
      "#00CC33",
      "#00CC66",
      "#00CC99",
      "#00CCCC",
      "#00CCFF",
      "#3300CC",
      "#3300FF",
      "#3333CC",
      "#3333FF",
      "#3366CC",
      "#3366FF",
      "#3399CC",
      "#3399FF",
      "#33CC00",
      "#33CC33",
      "#33CC66",
      "#33CC99",
      "#33CCCC",
      "#33CCFF",
      "#6600CC",
      "#6600FF",
      "#6633CC",
      "#6633FF",
      "#66CC00",
      "#66CC33",
      "#9900CC",
      "#9900FF",
      "#9933CC",
      "#9933FF",
      "#99CC00",
      "#99CC33",
      "#CC0000",
      "#CC0033",
      "#CC0066",
      "#CC0099",
      "#CC00CC",
      "#CC00FF",
      "#CC3300",
      "#CC3333",
      "#CC3366",
      "#CC3399",
      "#CC33CC",
      "#CC33FF",
      "#CC6600",
      "#CC6633",
      "#CC9900",
      "#CC9933",
      "#CCCC00",
      "#CCCC33",
      "#FF0000",
      "#FF0033",
      "#FF0066",
      "#FF0099",
      "#FF00CC",
      "#FF00FF",
      "#FF3300",
      "#FF3333",
      "#FF3366",
      "#FF3399",
      "#FF33CC",
      "#FF33FF",
      "#FF6600",
      "#FF6633",
      "#FF9900",
      "#FF9933",
      "#FFCC00",
      "#FFCC33"
    ];
    function useColors() {
      if (typeof window !== "undefined" && window.process && (window.process.type === "renderer" || window.process.__nwjs)) {
        return true;
      }
      if (typeof navigator !== "undefined" && navigator.userAgent && navigator.userAgent.toLowerCase().match(/(edge|trident)\/(\d+)/)) {
        return false;
      }
      let m;
      return typeof document !== "undefined" && document.documentElement && document.documentElement.style && document.documentElement.style.WebkitAppearance || // Is firebug? http://stackoverflow.com/a/398120/376773
      typeof window !== "undefined" && window.console && (window.console.firebug || window.console.exception && window.console.table) || // Is firefox >= v31?
      // https://developer.mozilla.org/en-US/docs/Tools/Web_Console#Styling_messages
      typeof navigator !== "undefined" && navigator.userAgent && (m = navigator.userAgent.toLowerCase().match(/firefox\/(\d+)/)) && parseInt(m[1], 10) >= 31 || // Double check webkit in userAgent just in case we are in a worker
      typeof navigator !== "undefined" && navigator.userAgent && navigator.userAgent.toLowerCase().match(/applewebkit\/(\d+)/);
    }
    function formatArgs(args) {
      args[0] = (this.useColors ? "%c" : "") + this.namespace + (this.useColors ? " %c" : " ") + args[0] + (this.useColors ? "%c " : " ") + "+" + module2.exports.humanize(this.diff);
      if (!this.useColors) {
        return;
      }
      const c = "color: " + this.color;
      args.splice(1, 0, c, "color: inherit");
      let index = 0;
      let lastC = 0;
      args[0].replace(/%[a-zA-Z%]/g, (match) => {
        if (match === "%%") {
          return;
        }
        index++;
        if (match === "%c") {
          lastC = index;
        }
      });
      args.splice(lastC, 0, c);
    }
    exports2.log = console.debug || console.log || (() => {
    });
    function save(namespaces) {
      try {
        if (namespaces) {
          exports2.storage.setItem("debug", namespaces);
        } else {
          exports2.storage.removeItem("debug");
        }
      } catch (error2) {
      }
    }
    function load() {
      let r;
      try {
        r = exports2.storage.getItem("debug") || exports2.storage.getItem("DEBUG");
      } catch (error2) {
      }
      if (!r && typeof process !== "undefined" && "env" in process) {
        r = process.env.DEBUG;
      }
      return r;
    }
    function localstorage() {
      try {
        return localStorage;
      } catch (error2) {
      }
    }
    module2.exports = require_common()(exports2);
    var { formatters } = module2.exports;
    formatters.j = function(v) {
      try {
        return JSON.stringify(v);
      } catch (error2) {
        return "[UnexpectedJSONParseError]: " + error2.message;
      }
    };
  }
});

// node_modules/mocha/node_modules/debug/src/node.js
var require_node = __commonJS({
  "node_modules/mocha/node_modules/debug/src/node.js"(exports2, module2) {
    var tty = require("tty");
    var util2 = require("util");
    exports2.init = init;
    exports2.log = log;
    exports2.formatArgs = formatArgs;
    exports2.save = save;
    exports2.load = load;
    exports2.useColors = useColors;
    exports2.destroy = util2.deprecate(
      () => {
      },
      "Instance method `debug.destroy()` is deprecated and no longer does anything. It will be removed in the next major version of `debug`."
    );
    exports2.colors = [6, 2, 3, 4, 5, 1];
    try {
      const supportsColor2 = require_supports_color();
      if (supportsColor2 && (supportsColor2.stderr || supportsColor2).level >= 2) {
        exports2.colors = [
          20,
          21,
          26,
          27,
          32,
          33,
          38,
          39,
          40,
          41,
          42,
          43,
          44,
          45,
          56,
          57,
          62,
          63,
          68,
          69,
          74,
          75,
          76,
          77,
          78,
          79,
          80,
          81,
          92,
          93,
          98,
          99,
          112,
          113,
          128,
          129,
          134,
          135,
          148,
          149,
          160,
          161,
          162,
          163,
          164,
          165,
          166,
          167,
          168,
          169,
          170,
          171,
          172,
          173,
          178,
          179,
          184,
          185,
          196,
          197,
          198,
          199,
          200,
          201,
          202,
          203,
          204,
          205,
          206,
          207,
          208,
          209,
          214,
          215,
          220,
          221
        ];
      }
    } catch (error2) {
    }
    exports2.inspectOpts = Object.keys(process.env).filter((key) => {
      return /^debug_/i.test(key);
    }).reduce((obj, key) => {
      const prop = key.substring(6).toLowerCase().replace(/_([a-z])/g, (_, k) => {
        return k.toUpperCase();
      });
      let val = process.env[key];
      if (/^(yes|on|true|enabled)$/i.test(val)) {
        val = true;
      } else if (/^(no|off|false|disabled)$/i.test(val)) {
        val = false;
      } else if (val === "null") {
        val = null;
      } else {
        val = Number(val);
      }
      obj[prop] = val;
      return obj;
    }, {});
    function useColors() {
      return "colors" in exports2.inspectOpts ? Boolean(exports2.inspectOpts.colors) : tty.isatty(process.stderr.fd);
    }
    function formatArgs(args) {
      const { namespace: name, useColors: useColors2 } = this;
      if (useColors2) {
        const c = this.color;
        const colorCode = "\x1B[3" + (c < 8 ? c : "8;5;" + c);
        const prefix = `  ${colorCode};1m${name} \x1B[0m`;
        args[0] = prefix + args[0].split("\n").join("\n" + prefix);
        args.push(colorCode + "m+" + module2.exports.humanize(this.diff) + "\x1B[0m");
      } else {
        args[0] = getDate() + name + " " + args[0];
      }
    }
    function getDate() {
      if (exports2.inspectOpts.hideDate) {
        return "";
      }
      return (/* @__PURE__ */ new Date()).toISOString() + " ";
    }
    function log(...args) {
      return process.stderr.write(util2.formatWithOptions(exports2.inspectOpts, ...args) + "\n");
    }
    function save(namespaces) {
      if (namespaces) {
        process.env.DEBUG = namespaces;
      } else {
        delete process.env.DEBUG;
      }
    }
    function load() {
      return process.env.DEBUG;
    }
    function init(debug5) {
      debug5.inspectOpts = {};
      const keys = Object.keys(exports2.inspectOpts);
      for (let i = 0; i < keys.length; i++) {
        debug5.inspectOpts[keys[i]] = exports2.inspectOpts[keys[i]];
      }
    }
    module2.exports = require_common()(exports2);
    var { formatters } = module2.exports;
    formatters.o = function(v) {
      this.inspectOpts.colors = this.useColors;
      return util2.inspect(v, this.inspectOpts).split("\n").map((str) => str.trim()).join(" ");
    };
    formatters.O = function(v) {
      this.inspectOpts.colors = this.useColors;
      return util2.inspect(v, this.inspectOpts);
    };
  }
});

// node_modules/mocha/node_modules/debug/src/index.js
var require_src = __commonJS({
  "node_modules/mocha/node_modules/debug/src/index.js"(exports2, module2) {
    if (typeof process === "undefined" || process.type === "renderer" || process.browser === true || process.__nwjs) {
      module2.exports = require_browser();
    } else {
      module2.exports = require_node();
    }
  }
});

// node_modules/mocha/lib/pending.js
var PendingError;
var init_pending = __esm({
  "node_modules/mocha/lib/pending.js"() {
    PendingError = class extends Error {
      constructor(message) {
        super(message);
        this.name = "PendingError";
      }
    };
  }
});

// node_modules/mocha/lib/error-constants.js
var constants;
var init_error_constants = __esm({
  "node_modules/mocha/lib/error-constants.js"() {
    constants = {
      /**
       * An unrecoverable error.
       * @constant
       * @default
       */
      FATAL: "ERR_MOCHA_FATAL",
      /**
       * The type of an argument to a function call is invalid
       * @constant
       * @default
       */
      INVALID_ARG_TYPE: "ERR_MOCHA_INVALID_ARG_TYPE",
      /**
       * The value of an argument to a function call is invalid
       * @constant
       * @default
       */
      INVALID_ARG_VALUE: "ERR_MOCHA_INVALID_ARG_VALUE",
      /**
       * Something was thrown, but it wasn't an `Error`
       * @constant
       * @default
       */
      INVALID_EXCEPTION: "ERR_MOCHA_INVALID_EXCEPTION",
      /**
       * An interface (e.g., `Mocha.interfaces`) is unknown or invalid
       * @constant
       * @default
       */
      INVALID_INTERFACE: "ERR_MOCHA_INVALID_INTERFACE",
      /**
       * A reporter (.e.g, `Mocha.reporters`) is unknown or invalid
       * @constant
       * @default
       */
      INVALID_REPORTER: "ERR_MOCHA_INVALID_REPORTER",
      /**
       * `done()` was called twice in a `Test` or `Hook` callback
       * @constant
       * @default
       */
      MULTIPLE_DONE: "ERR_MOCHA_MULTIPLE_DONE",
      /**
       * No files matched the pattern provided by the user
       * @constant
       * @default
       */
      NO_FILES_MATCH_PATTERN: "ERR_MOCHA_NO_FILES_MATCH_PATTERN",
      /**
       * Known, but unsupported behavior of some kind
       * @constant
       * @default
       */
      UNSUPPORTED: "ERR_MOCHA_UNSUPPORTED",
      /**
       * Invalid state transition occurring in `Mocha` instance
       * @constant
       * @default
       */
      INSTANCE_ALREADY_RUNNING: "ERR_MOCHA_INSTANCE_ALREADY_RUNNING",
      /**
       * Invalid state transition occurring in `Mocha` instance
       * @constant
       * @default
       */
      INSTANCE_ALREADY_DISPOSED: "ERR_MOCHA_INSTANCE_ALREADY_DISPOSED",
      /**
       * Use of `only()` w/ `--forbid-only` results in this error.
       * @constant
       * @default
       */
      FORBIDDEN_EXCLUSIVITY: "ERR_MOCHA_FORBIDDEN_EXCLUSIVITY",
      /**
       * To be thrown when a user-defined plugin implementation (e.g., `mochaHooks`) is invalid
       * @constant
       * @default
       */
      INVALID_PLUGIN_IMPLEMENTATION: "ERR_MOCHA_INVALID_PLUGIN_IMPLEMENTATION",
      /**
       * To be thrown when a builtin or third-party plugin definition (the _definition_ of `mochaHooks`) is invalid
       * @constant
       * @default
       */
      INVALID_PLUGIN_DEFINITION: "ERR_MOCHA_INVALID_PLUGIN_DEFINITION",
      /**
       * When a runnable exceeds its allowed run time.
       * @constant
       * @default
       */
      TIMEOUT: "ERR_MOCHA_TIMEOUT",
      /**
       * Input file is not able to be parsed
       * @constant
       * @default
       */
      UNPARSABLE_FILE: "ERR_MOCHA_UNPARSABLE_FILE"
    };
  }
});

// node_modules/mocha/lib/errors.js
var errors_exports = {};
__export(errors_exports, {
  createFatalError: () => createFatalError,
  createForbiddenExclusivityError: () => createForbiddenExclusivityError,
  createInvalidArgumentTypeError: () => createInvalidArgumentTypeError,
  createInvalidArgumentValueError: () => createInvalidArgumentValueError,
  createInvalidExceptionError: () => createInvalidExceptionError,
  createInvalidInterfaceError: () => createInvalidInterfaceError,
  createInvalidLegacyPluginError: () => createInvalidLegacyPluginError,
  createInvalidPluginDefinitionError: () => createInvalidPluginDefinitionError,
  createInvalidPluginImplementationError: () => createInvalidPluginImplementationError,
  createInvalidReporterError: () => createInvalidReporterError,
  createMissingArgumentError: () => createMissingArgumentError,
  createMochaInstanceAlreadyDisposedError: () => createMochaInstanceAlreadyDisposedError,
  createMochaInstanceAlreadyRunningError: () => createMochaInstanceAlreadyRunningError,
  createMultipleDoneError: () => createMultipleDoneError,
  createNoFilesMatchPatternError: () => createNoFilesMatchPatternError,
  createTimeoutError: () => createTimeoutError,
  createUnparsableFileError: () => createUnparsableFileError,
  createUnsupportedError: () => createUnsupportedError,
  isMochaError: () => isMochaError
});
function createNoFilesMatchPatternError(message, pattern) {
  var err = new Error(message);
  err.code = constants.NO_FILES_MATCH_PATTERN;
  err.pattern = pattern;
  return err;
}
function createInvalidReporterError(message, reporter) {
  var err = new TypeError(message);
  err.code = constants.INVALID_REPORTER;
  err.reporter = reporter;
  return err;
}
function createInvalidInterfaceError(message, ui) {
  var err = new Error(message);
  err.code = constants.INVALID_INTERFACE;
  err.interface = ui;
  return err;
}
function createUnsupportedError(message) {
  var err = new Error(message);
  err.code = constants.UNSUPPORTED;
  return err;
}
function createMissingArgumentError(message, argument, expected) {
  return createInvalidArgumentTypeError(message, argument, expected);
}
function createInvalidArgumentTypeError(message, argument, expected) {
  var err = new TypeError(message);
  err.code = constants.INVALID_ARG_TYPE;
  err.argument = argument;
  err.expected = expected;
  err.actual = typeof argument;
  return err;
}
function createInvalidArgumentValueError(message, argument, value, reason) {
  var err = new TypeError(message);
  err.code = constants.INVALID_ARG_VALUE;
  err.argument = argument;
  err.value = value;
  err.reason = typeof reason !== "undefined" ? reason : "is invalid";
  return err;
}
function createInvalidExceptionError(message, value) {
  var err = new Error(message);
  err.code = constants.INVALID_EXCEPTION;
  err.valueType = typeof value;
  err.value = value;
  return err;
}
function createFatalError(message, value) {
  var err = new Error(message);
  err.code = constants.FATAL;
  err.valueType = typeof value;
  err.value = value;
  return err;
}
function createInvalidLegacyPluginError(message, pluginType, pluginId) {
  switch (pluginType) {
    case "reporter":
      return createInvalidReporterError(message, pluginId);
    case "ui":
      return createInvalidInterfaceError(message, pluginId);
    default:
      throw new Error('unknown pluginType "' + pluginType + '"');
  }
}
function createMochaInstanceAlreadyDisposedError(message, cleanReferencesAfterRun, instance) {
  var err = new Error(message);
  err.code = constants.INSTANCE_ALREADY_DISPOSED;
  err.cleanReferencesAfterRun = cleanReferencesAfterRun;
  err.instance = instance;
  return err;
}
function createMochaInstanceAlreadyRunningError(message, instance) {
  var err = new Error(message);
  err.code = constants.INSTANCE_ALREADY_RUNNING;
  err.instance = instance;
  return err;
}
function createMultipleDoneError(runnable, originalErr) {
  var title2;
  try {
    title2 = (0, import_node_util.format)("<%s>", runnable.fullTitle());
    if (runnable.parent.root) {
      title2 += " (of root suite)";
    }
  } catch {
    title2 = (0, import_node_util.format)("<%s> (of unknown suite)", runnable.title);
  }
  var message = (0, import_node_util.format)(
    "done() called multiple times in %s %s",
    runnable.type ? runnable.type : "unknown runnable",
    title2
  );
  if (runnable.file) {
    message += (0, import_node_util.format)(" of file %s", runnable.file);
  }
  if (originalErr) {
    message += (0, import_node_util.format)("; in addition, done() received error: %s", originalErr);
  }
  var err = new Error(message);
  err.code = constants.MULTIPLE_DONE;
  err.valueType = typeof originalErr;
  err.value = originalErr;
  return err;
}
function createForbiddenExclusivityError(mocha) {
  var message;
  if (mocha.isWorker) {
    message = "`.only` is not supported in parallel mode";
  } else {
    message = "`.only` forbidden by --forbid-only";
    if ((0, import_utils.isCI)()) {
      message += " (default in CI, add `--no-forbid-only` to allow `.only`)";
    }
  }
  var err = new Error(message);
  err.code = constants.FORBIDDEN_EXCLUSIVITY;
  return err;
}
function createInvalidPluginDefinitionError(msg, pluginDef) {
  const err = new Error(msg);
  err.code = constants.INVALID_PLUGIN_DEFINITION;
  err.pluginDef = pluginDef;
  return err;
}
function createInvalidPluginImplementationError(msg, { pluginDef, pluginImpl } = {}) {
  const err = new Error(msg);
  err.code = constants.INVALID_PLUGIN_IMPLEMENTATION;
  err.pluginDef = pluginDef;
  err.pluginImpl = pluginImpl;
  return err;
}
function createTimeoutError(msg, timeout, file) {
  const err = new Error(msg);
  err.code = constants.TIMEOUT;
  err.timeout = timeout;
  err.file = file;
  return err;
}
function createUnparsableFileError(message) {
  var err = new Error(message);
  err.code = constants.UNPARSABLE_FILE;
  return err;
}
var import_node_util, import_utils, MOCHA_ERRORS, isMochaError;
var init_errors = __esm({
  "node_modules/mocha/lib/errors.js"() {
    import_node_util = require("node:util");
    init_error_constants();
    import_utils = __toESM(require_utils(), 1);
    MOCHA_ERRORS = new Set(Object.values(constants));
    isMochaError = (err) => Boolean(err && typeof err === "object" && MOCHA_ERRORS.has(err.code));
  }
});

// node_modules/mocha/lib/runnable.js
var runnable_exports = {};
__export(runnable_exports, {
  Runnable: () => Runnable
});
var import_node_events, import_debug, import_ms, import_utils2, debug, Date2, setTimeout2, clearTimeout2, toString, MAX_TIMEOUT, Runnable;
var init_runnable = __esm({
  "node_modules/mocha/lib/runnable.js"() {
    import_node_events = require("node:events");
    init_pending();
    import_debug = __toESM(require_src(), 1);
    import_ms = __toESM(require_ms(), 1);
    import_utils2 = __toESM(require_utils(), 1);
    init_errors();
    debug = (0, import_debug.default)("mocha:runnable");
    Date2 = global.Date;
    setTimeout2 = global.setTimeout;
    clearTimeout2 = global.clearTimeout;
    toString = Object.prototype.toString;
    MAX_TIMEOUT = Math.pow(2, 31) - 1;
    Runnable = class _Runnable extends import_node_events.EventEmitter {
      // "Additional properties" doc comment added for hosted docs (mochajs.org/api)
      /**
       * Initialize a new `Runnable` with the given `title` and callback `fn`.
       * Additional properties, like `getFullTitle()` and `slow()`, can be viewed in the `Runnable` source.
       *
       * @extends external:EventEmitter
       * @public
       * @param {String} title
       * @param {Function} fn
       */
      constructor(title2, fn) {
        super(title2, fn);
        this.title = title2;
        this.fn = fn;
        this.body = (fn || "").toString();
        this.async = fn && fn.length;
        this.sync = !this.async;
        this._timeout = 2e3;
        this._slow = 75;
        this._retries = -1;
        import_utils2.default.assignNewMochaID(this);
        Object.defineProperty(this, "id", {
          get() {
            return import_utils2.default.getMochaID(this);
          }
        });
        this.reset();
      }
      /**
       * Resets the state initially or for a next run.
       */
      reset() {
        this.timedOut = false;
        this._currentRetry = 0;
        this.pending = false;
        delete this.state;
        delete this.err;
      }
      /**
       * Get current timeout value in msecs.
       *
       * @private
       * @returns {number} current timeout threshold value
       */
      /**
       * @summary
       * Set timeout threshold value (msecs).
       *
       * @description
       * A string argument can use shorthand (e.g., "2s") and will be converted.
       * The value will be clamped to range [<code>0</code>, <code>2^<sup>31</sup>-1</code>].
       * If clamped value matches either range endpoint, timeouts will be disabled.
       *
       * @private
       * @see {@link https://developer.mozilla.org/en-US/docs/Web/API/WindowOrWorkerGlobalScope/setTimeout#Maximum_delay_value}
       * @param {number|string} ms - Timeout threshold value.
       * @returns {Runnable} this
       * @chainable
       */
      timeout(ms2) {
        if (!arguments.length) {
          return this._timeout;
        }
        if (typeof ms2 === "string") {
          ms2 = (0, import_ms.default)(ms2);
        }
        var range = [0, MAX_TIMEOUT];
        ms2 = import_utils2.default.clamp(ms2, range);
        if (ms2 === range[0] || ms2 === range[1]) {
          this._timeout = 0;
        } else {
          this._timeout = ms2;
        }
        debug("timeout %d", this._timeout);
        if (this.timer) {
          this.resetTimeout();
        }
        return this;
      }
      /**
       * Set or get slow `ms`.
       *
       * @private
       * @param {number|string} ms
       * @return {Runnable|number} ms or Runnable instance.
       */
      slow(ms2) {
        if (!arguments.length || typeof ms2 === "undefined") {
          return this._slow;
        }
        if (typeof ms2 === "string") {
          ms2 = (0, import_ms.default)(ms2);
        }
        debug("slow %d", ms2);
        this._slow = ms2;
        return this;
      }
      /**
       * Halt and mark as pending.
       *
       * @memberof Mocha.Runnable
       * @public
       */
      skip() {
        this.pending = true;
        throw new PendingError("sync skip; aborting execution");
      }
      /**
       * Check if this runnable or its parent suite is marked as pending.
       *
       * @private
       */
      isPending() {
        return this.pending || this.parent && this.parent.isPending();
      }
      /**
       * Return `true` if this Runnable has failed.
       * @return {boolean}
       * @private
       */
      isFailed() {
        return !this.isPending() && this.state === _Runnable.constants.STATE_FAILED;
      }
      /**
       * Return `true` if this Runnable has passed.
       * @return {boolean}
       * @private
       */
      isPassed() {
        return !this.isPending() && this.state === _Runnable.constants.STATE_PASSED;
      }
      /**
       * Set or get number of retries.
       *
       * @private
       */
      retries(n) {
        if (!arguments.length) {
          return this._retries;
        }
        this._retries = n;
      }
      /**
       * Set or get current retry
       *
       * @private
       */
      currentRetry(n) {
        if (!arguments.length) {
          return this._currentRetry;
        }
        this._currentRetry = n;
      }
      /**
       * Return the full title generated by recursively concatenating the parent's
       * full title.
       *
       * @memberof Mocha.Runnable
       * @public
       * @return {string}
       */
      fullTitle() {
        return this.titlePath().join(" ");
      }
      /**
       * Return the title path generated by concatenating the parent's title path with the title.
       *
       * @memberof Mocha.Runnable
       * @public
       * @return {string[]}
       */
      titlePath() {
        return this.parent.titlePath().concat([this.title]);
      }
      /**
       * Clear the timeout.
       *
       * @private
       */
      clearTimeout() {
        clearTimeout2(this.timer);
      }
      /**
       * Reset the timeout.
       *
       * @private
       */
      resetTimeout() {
        var self2 = this;
        var ms2 = this.timeout() || MAX_TIMEOUT;
        this.clearTimeout();
        this.timer = setTimeout2(function() {
          if (self2.timeout() === 0) {
            return;
          }
          self2.callback(self2._timeoutError(ms2));
          self2.timedOut = true;
        }, ms2);
      }
      /**
       * Set or get a list of whitelisted globals for this test run.
       *
       * @private
       * @param {string[]} globals
       */
      globals(globals2) {
        if (!arguments.length) {
          return this._allowedGlobals;
        }
        this._allowedGlobals = globals2;
      }
      /**
       * Run the test and invoke `fn(err)`.
       *
       * @param {Function} fn
       * @private
       */
      run(fn) {
        var self2 = this;
        var start = new Date2();
        var ctx = this.ctx;
        var finished;
        var errorWasHandled = false;
        if (this.isPending()) return fn();
        if (ctx && ctx.runnable) {
          ctx.runnable(this);
        }
        function multiple(err) {
          if (errorWasHandled) {
            return;
          }
          errorWasHandled = true;
          self2.emit("error", createMultipleDoneError(self2, err));
        }
        function done(err) {
          var ms2 = self2.timeout();
          if (self2.timedOut) {
            return;
          }
          if (finished) {
            return multiple(err);
          }
          self2.clearTimeout();
          self2.duration = new Date2() - start;
          finished = true;
          if (!err && self2.duration > ms2 && ms2 > 0) {
            err = self2._timeoutError(ms2);
          }
          fn(err);
        }
        this.callback = done;
        if (this.fn && typeof this.fn.call !== "function") {
          done(
            new TypeError(
              "A runnable must be passed a function as its second argument."
            )
          );
          return;
        }
        if (this.async) {
          this.resetTimeout();
          this.skip = function asyncSkip() {
            this.pending = true;
            done();
            throw new PendingError("async skip; aborting execution");
          };
          try {
            callFnAsync(this.fn);
          } catch (err) {
            errorWasHandled = true;
            if (err instanceof PendingError) {
              return;
            } else if (this.allowUncaught) {
              throw err;
            }
            done(_Runnable.toValueOrError(err));
          }
          return;
        }
        try {
          callFn(this.fn);
        } catch (err) {
          errorWasHandled = true;
          if (err instanceof PendingError) {
            return done();
          } else if (this.allowUncaught) {
            throw err;
          }
          done(_Runnable.toValueOrError(err));
        }
        function callFn(fn2) {
          var result = fn2.call(ctx);
          if (result && typeof result.then === "function") {
            self2.resetTimeout();
            result.then(
              function() {
                done();
                return null;
              },
              function(reason) {
                done(
                  reason || new Error("Promise rejected with no or falsy reason")
                );
              }
            );
          } else {
            if (self2.asyncOnly) {
              return done(
                new Error(
                  "--async-only option in use without declaring `done()` or returning a promise"
                )
              );
            }
            done();
          }
        }
        function callFnAsync(fn2) {
          var result = fn2.call(ctx, function(err) {
            if (err instanceof Error || toString.call(err) === "[object Error]") {
              return done(err);
            }
            if (err) {
              if (Object.prototype.toString.call(err) === "[object Object]") {
                return done(
                  new Error(
                    "done() invoked with non-Error: " + JSON.stringify(err)
                  )
                );
              }
              return done(new Error("done() invoked with non-Error: " + err));
            }
            if (result && import_utils2.default.isPromise(result)) {
              return done(
                new Error(
                  "Resolution method is overspecified. Specify a callback *or* return a Promise; not both."
                )
              );
            }
            done();
          });
        }
      }
      /**
       * Instantiates a "timeout" error
       *
       * @param {number} ms - Timeout (in milliseconds)
       * @returns {Error} a "timeout" error
       * @private
       */
      _timeoutError(ms2) {
        let msg = `Timeout of ${ms2}ms exceeded. For async tests and hooks, ensure "done()" is called; if returning a Promise, ensure it resolves.`;
        if (this.file) {
          msg += " (" + this.file + ")";
        }
        return createTimeoutError(msg, ms2, this.file);
      }
      static constants = import_utils2.default.defineConstants(
        /**
         * {@link Runnable}-related Runnable.constants.
         * @public
         * @memberof Runnable
         * @readonly
         * @static
         * @alias constants
         * @enum {string}
         */
        {
          /**
           * Value of `state` prop when a `Runnable` has failed
           */
          STATE_FAILED: "failed",
          /**
           * Value of `state` prop when a `Runnable` has passed
           */
          STATE_PASSED: "passed",
          /**
           * Value of `state` prop when a `Runnable` has been skipped by user
           */
          STATE_PENDING: "pending"
        }
      );
      /**
       * Given `value`, return identity if truthy, otherwise create an "invalid exception" error and return that.
       * @param {*} [value] - Value to return, if present
       * @returns {*|Error} `value`, otherwise an `Error`
       * @private
       */
      static toValueOrError(value) {
        return value || createInvalidExceptionError(
          "Runnable failed with falsy or undefined exception. Please throw an Error instead.",
          value
        );
      }
    };
  }
});

// node_modules/mocha/lib/hook.js
var hook_exports = {};
__export(hook_exports, {
  Hook: () => Hook
});
var import_utils3, MOCHA_ID_PROP_NAME, Hook;
var init_hook = __esm({
  "node_modules/mocha/lib/hook.js"() {
    init_runnable();
    import_utils3 = __toESM(require_utils(), 1);
    ({ MOCHA_ID_PROP_NAME } = import_utils3.default.constants);
    Hook = class extends Runnable {
      /**
       * Initialize a new `Hook` with the given `title` and callback `fn`
       *
       * @extends Runnable
       * @param {String} title
       * @param {Function} fn
       */
      constructor(title2, fn) {
        super(title2, fn);
        this.type = "hook";
      }
      /**
       * Resets the state for a next run.
       */
      reset() {
        super.reset(this);
        delete this._error;
      }
      /**
       * Get or set the test `err`.
       *
       * @memberof Hook
       * @public
       * @param {Error} err
       * @return {Error}
       */
      error(err) {
        if (!arguments.length) {
          err = this._error;
          this._error = null;
          return err;
        }
        this._error = err;
      }
      /**
       * Returns an object suitable for IPC.
       * Functions are represented by keys beginning with `$$`.
       * @private
       * @returns {Object}
       */
      serialize() {
        return {
          $$currentRetry: this.currentRetry(),
          $$fullTitle: this.fullTitle(),
          $$isPending: Boolean(this.isPending()),
          $$titlePath: this.titlePath(),
          ctx: this.ctx && this.ctx.currentTest ? {
            currentTest: {
              title: this.ctx.currentTest.title,
              [MOCHA_ID_PROP_NAME]: this.ctx.currentTest.id
            }
          } : {},
          duration: this.duration,
          file: this.file,
          parent: {
            $$fullTitle: this.parent.fullTitle(),
            [MOCHA_ID_PROP_NAME]: this.parent.id
          },
          state: this.state,
          title: this.title,
          type: this.type,
          [MOCHA_ID_PROP_NAME]: this.id
        };
      }
    };
  }
});

// node_modules/mocha/lib/suite.js
var suite_exports = {};
__export(suite_exports, {
  Suite: () => Suite
});
var import_node_events2, import_utils4, import_debug2, import_ms2, assignNewMochaID, clamp, utilsConstants, defineConstants, getMochaID, isString, debug2, MOCHA_ID_PROP_NAME2, Suite;
var init_suite = __esm({
  "node_modules/mocha/lib/suite.js"() {
    import_node_events2 = require("node:events");
    init_hook();
    import_utils4 = __toESM(require_utils(), 1);
    import_debug2 = __toESM(require_src(), 1);
    import_ms2 = __toESM(require_ms(), 1);
    init_errors();
    ({
      assignNewMochaID,
      clamp,
      constants: utilsConstants,
      defineConstants,
      getMochaID,
      isString
    } = import_utils4.default);
    debug2 = (0, import_debug2.default)("mocha:suite");
    ({ MOCHA_ID_PROP_NAME: MOCHA_ID_PROP_NAME2 } = utilsConstants);
    Suite = class _Suite extends import_node_events2.EventEmitter {
      static constants = defineConstants(
        /**
         * {@link Suite}-related constants.
         * @public
         * @memberof Suite
         * @alias constants
         * @readonly
         * @static
         * @enum {string}
         */
        {
          /**
           * Event emitted after a test file has been loaded. Not emitted in browser.
           */
          EVENT_FILE_POST_REQUIRE: "post-require",
          /**
           * Event emitted before a test file has been loaded. In browser, this is emitted once an interface has been selected.
           */
          EVENT_FILE_PRE_REQUIRE: "pre-require",
          /**
           * Event emitted immediately after a test file has been loaded. Not emitted in browser.
           */
          EVENT_FILE_REQUIRE: "require",
          /**
           * Event emitted when `global.run()` is called (use with `delay` option).
           */
          EVENT_ROOT_SUITE_RUN: "run",
          /**
           * Namespace for collection of a `Suite`'s "after all" hooks.
           */
          HOOK_TYPE_AFTER_ALL: "afterAll",
          /**
           * Namespace for collection of a `Suite`'s "after each" hooks.
           */
          HOOK_TYPE_AFTER_EACH: "afterEach",
          /**
           * Namespace for collection of a `Suite`'s "before all" hooks.
           */
          HOOK_TYPE_BEFORE_ALL: "beforeAll",
          /**
           * Namespace for collection of a `Suite`'s "before each" hooks.
           */
          HOOK_TYPE_BEFORE_EACH: "beforeEach",
          /**
           * Emitted after a child `Suite` has been added to a `Suite`.
           */
          EVENT_SUITE_ADD_SUITE: "suite",
          /**
           * Emitted after an "after all" `Hook` has been added to a `Suite`.
           */
          EVENT_SUITE_ADD_HOOK_AFTER_ALL: "afterAll",
          /**
           * Emitted after an "after each" `Hook` has been added to a `Suite`.
           */
          EVENT_SUITE_ADD_HOOK_AFTER_EACH: "afterEach",
          /**
           * Emitted after an "before all" `Hook` has been added to a `Suite`.
           */
          EVENT_SUITE_ADD_HOOK_BEFORE_ALL: "beforeAll",
          /**
           * Emitted after an "before each" `Hook` has been added to a `Suite`.
           */
          EVENT_SUITE_ADD_HOOK_BEFORE_EACH: "beforeEach",
          /**
           * Emitted after a `Test` has been added to a `Suite`.
           */
          EVENT_SUITE_ADD_TEST: "test"
        }
      );
      /**
       * Create a new `Suite` with the given `title` and parent `Suite`.
       *
       * @public
       * @param {Suite} parent - Parent suite (required!)
       * @param {string} title - Title
       * @return {Suite}
       */
      static create(parent, title2) {
        var suite = new _Suite(title2, parent.ctx);
        suite.parent = parent;
        parent.addSuite(suite);
        return suite;
      }
      /**
       * Constructs a new `Suite` instance with the given `title`, `ctx`, and `isRoot`.
       *
       * @public
       * @extends EventEmitter
       * @see {@link https://nodejs.org/api/events.html#events_class_eventemitter|EventEmitter}
       * @param {string} title - Suite title.
       * @param {Context} parentContext - Parent context instance.
       * @param {boolean} [isRoot=false] - Whether this is the root suite.
       */
      constructor(title2, parentContext, isRoot) {
        if (!isString(title2)) {
          throw createInvalidArgumentTypeError(
            'Suite argument "title" must be a string. Received type "' + typeof title2 + '"',
            "title",
            "string"
          );
        }
        super();
        this.title = title2;
        function Context2() {
        }
        Context2.prototype = parentContext;
        this.ctx = new Context2();
        this.suites = [];
        this.tests = [];
        this.root = isRoot === true;
        this.pending = false;
        this._retries = -1;
        this._beforeEach = [];
        this._beforeAll = [];
        this._afterEach = [];
        this._afterAll = [];
        this._timeout = 2e3;
        this._slow = 75;
        this._bail = false;
        this._onlyTests = [];
        this._onlySuites = [];
        assignNewMochaID(this);
        Object.defineProperty(this, "id", {
          get() {
            return getMochaID(this);
          }
        });
        this.reset();
      }
      /**
       * Resets the state initially or for a next run.
       */
      reset() {
        this.delayed = false;
        function doReset(thingToReset) {
          thingToReset.reset();
        }
        this.suites.forEach(doReset);
        this.tests.forEach(doReset);
        this._beforeEach.forEach(doReset);
        this._afterEach.forEach(doReset);
        this._beforeAll.forEach(doReset);
        this._afterAll.forEach(doReset);
      }
      /**
       * Return a clone of this `Suite`.
       *
       * @private
       * @return {Suite}
       */
      clone() {
        var suite = new _Suite(this.title);
        debug2("clone");
        suite.ctx = this.ctx;
        suite.root = this.root;
        suite.timeout(this.timeout());
        suite.retries(this.retries());
        suite.slow(this.slow());
        suite.bail(this.bail());
        return suite;
      }
      /**
       * Set or get timeout `ms` or short-hand such as "2s".
       *
       * @private
       * @todo Do not attempt to set value if `ms` is undefined
       * @param {number|string} ms
       * @return {Suite|number} for chaining
       */
      timeout(ms2) {
        if (!arguments.length) {
          return this._timeout;
        }
        if (typeof ms2 === "string") {
          ms2 = (0, import_ms2.default)(ms2);
        }
        var INT_MAX = Math.pow(2, 31) - 1;
        var range = [0, INT_MAX];
        ms2 = clamp(ms2, range);
        debug2("timeout %d", ms2);
        this._timeout = parseInt(ms2, 10);
        for (const t of this.tests) {
          t.timeout(this._timeout);
        }
        for (const s of this.suites) {
          s.timeout(this._timeout);
        }
        return this;
      }
      /**
       * Set or get number of times to retry a failed test.
       *
       * @private
       * @param {number|string} n
       * @return {Suite|number} for chaining
       */
      retries(n) {
        if (!arguments.length) {
          return this._retries;
        }
        debug2("retries %d", n);
        this._retries = parseInt(n, 10) || 0;
        return this;
      }
      /**
       * Set or get slow `ms` or short-hand such as "2s".
       *
       * @private
       * @param {number|string} ms
       * @return {Suite|number} for chaining
       */
      slow(ms2) {
        if (!arguments.length) {
          return this._slow;
        }
        if (typeof ms2 === "string") {
          ms2 = (0, import_ms2.default)(ms2);
        }
        debug2("slow %d", ms2);
        this._slow = ms2;
        return this;
      }
      /**
       * Set or get whether to bail after first error.
       *
       * @private
       * @param {boolean} bail
       * @return {Suite|number} for chaining
       */
      bail(bail) {
        if (!arguments.length) {
          return this._bail;
        }
        debug2("bail %s", bail);
        this._bail = bail;
        return this;
      }
      /**
       * Check if this suite or its parent suite is marked as pending.
       *
       * @private
       */
      isPending() {
        return this.pending || this.parent && this.parent.isPending();
      }
      /**
       * Generic hook-creator.
       * @private
       * @param {string} title - Title of hook
       * @param {Function} fn - Hook callback
       * @returns {Hook} A new hook
       */
      _createHook(title2, fn) {
        var hook = new Hook(title2, fn);
        hook.parent = this;
        hook.timeout(this.timeout());
        hook.retries(this.retries());
        hook.slow(this.slow());
        hook.ctx = this.ctx;
        hook.file = this.file;
        return hook;
      }
      /**
       * Run `fn(test[, done])` before running tests.
       *
       * @private
       * @param {string} title
       * @param {Function} fn
       * @return {Suite} for chaining
       */
      beforeAll(title2, fn) {
        if (this.isPending()) {
          return this;
        }
        if (typeof title2 === "function") {
          fn = title2;
          title2 = fn.name;
        }
        title2 = '"before all" hook' + (title2 ? ": " + title2 : "");
        var hook = this._createHook(title2, fn);
        this._beforeAll.push(hook);
        this.emit(_Suite.constants.EVENT_SUITE_ADD_HOOK_BEFORE_ALL, hook);
        return hook;
      }
      /**
       * Run `fn(test[, done])` after running tests.
       *
       * @private
       * @param {string} title
       * @param {Function} fn
       * @return {Suite} for chaining
       */
      afterAll(title2, fn) {
        if (this.isPending()) {
          return this;
        }
        if (typeof title2 === "function") {
          fn = title2;
          title2 = fn.name;
        }
        title2 = '"after all" hook' + (title2 ? ": " + title2 : "");
        var hook = this._createHook(title2, fn);
        this._afterAll.push(hook);
        this.emit(_Suite.constants.EVENT_SUITE_ADD_HOOK_AFTER_ALL, hook);
        return hook;
      }
      /**
       * Run `fn(test[, done])` before each test case.
       *
       * @private
       * @param {string} title
       * @param {Function} fn
       * @return {Suite} for chaining
       */
      beforeEach(title2, fn) {
        if (this.isPending()) {
          return this;
        }
        if (typeof title2 === "function") {
          fn = title2;
          title2 = fn.name;
        }
        title2 = '"before each" hook' + (title2 ? ": " + title2 : "");
        var hook = this._createHook(title2, fn);
        this._beforeEach.push(hook);
        this.emit(_Suite.constants.EVENT_SUITE_ADD_HOOK_BEFORE_EACH, hook);
        return hook;
      }
      /**
       * Run `fn(test[, done])` after each test case.
       *
       * @private
       * @param {string} title
       * @param {Function} fn
       * @return {Suite} for chaining
       */
      afterEach(title2, fn) {
        if (this.isPending()) {
          return this;
        }
        if (typeof title2 === "function") {
          fn = title2;
          title2 = fn.name;
        }
        title2 = '"after each" hook' + (title2 ? ": " + title2 : "");
        var hook = this._createHook(title2, fn);
        this._afterEach.push(hook);
        this.emit(_Suite.constants.EVENT_SUITE_ADD_HOOK_AFTER_EACH, hook);
        return hook;
      }
      /**
       * Add a test `suite`.
       *
       * @private
       * @param {Suite} suite
       * @return {Suite} for chaining
       */
      addSuite(suite) {
        suite.parent = this;
        suite.root = false;
        suite.timeout(this.timeout());
        suite.retries(this.retries());
        suite.slow(this.slow());
        suite.bail(this.bail());
        this.suites.push(suite);
        this.emit(_Suite.constants.EVENT_SUITE_ADD_SUITE, suite);
        return this;
      }
      /**
       * Add a `test` to this suite.
       *
       * @private
       * @param {Test} test
       * @return {Suite} for chaining
       */
      addTest(test) {
        test.parent = this;
        test.timeout(this.timeout());
        test.retries(this.retries());
        test.slow(this.slow());
        test.ctx = this.ctx;
        this.tests.push(test);
        this.emit(_Suite.constants.EVENT_SUITE_ADD_TEST, test);
        return this;
      }
      /**
       * Return the full title generated by recursively concatenating the parent's
       * full title.
       *
       * @memberof Suite
       * @public
       * @return {string}
       */
      fullTitle() {
        return this.titlePath().join(" ");
      }
      /**
       * Return the title path generated by recursively concatenating the parent's
       * title path.
       *
       * @memberof Suite
       * @public
       * @return {string[]}
       */
      titlePath() {
        var result = [];
        if (this.parent) {
          result = result.concat(this.parent.titlePath());
        }
        if (!this.root) {
          result.push(this.title);
        }
        return result;
      }
      /**
       * Return the total number of tests.
       *
       * @memberof Suite
       * @public
       * @return {number}
       */
      total() {
        return this.suites.reduce(function(sum, suite) {
          return sum + suite.total();
        }, 0) + this.tests.length;
      }
      /**
       * Iterates through each suite recursively to find all tests. Applies a
       * function in the format `fn(test)`.
       *
       * @private
       * @param {Function} fn
       * @return {Suite}
       */
      eachTest(fn) {
        this.tests.forEach(fn);
        this.suites.forEach(function(suite) {
          suite.eachTest(fn);
        });
        return this;
      }
      /**
       * This will run the root suite if we happen to be running in delayed mode.
       * @private
       */
      run() {
        if (this.root) {
          this.emit(_Suite.constants.EVENT_ROOT_SUITE_RUN);
        }
      }
      /**
       * Determines whether a suite has an `only` test or suite as a descendant.
       *
       * @private
       * @returns {Boolean}
       */
      hasOnly() {
        return this._onlyTests.length > 0 || this._onlySuites.length > 0 || this.suites.some(function(suite) {
          return suite.hasOnly();
        });
      }
      /**
       * Filter suites based on `isOnly` logic.
       *
       * @private
       * @returns {Boolean}
       */
      filterOnly() {
        if (this._onlyTests.length) {
          this.tests = this._onlyTests;
          this.suites = [];
        } else {
          this.tests = [];
          this._onlySuites.forEach(function(onlySuite) {
            if (onlySuite.hasOnly()) {
              onlySuite.filterOnly();
            }
          });
          var onlySuites = this._onlySuites;
          this.suites = this.suites.filter(function(childSuite) {
            return onlySuites.indexOf(childSuite) !== -1 || childSuite.filterOnly();
          });
        }
        return this.tests.length > 0 || this.suites.length > 0;
      }
      /**
       * Adds a suite to the list of subsuites marked `only`.
       *
       * @private
       * @param {Suite} suite
       */
      appendOnlySuite(suite) {
        this._onlySuites.push(suite);
      }
      /**
       * Marks a suite to be `only`.
       *
       * @private
       */
      markOnly() {
        this.parent && this.parent.appendOnlySuite(this);
      }
      /**
       * Adds a test to the list of tests marked `only`.
       *
       * @private
       * @param {Test} test
       */
      appendOnlyTest(test) {
        this._onlyTests.push(test);
      }
      /**
       * Returns the array of hooks by hook name; see `HOOK_TYPE_*` constants.
       * @private
       */
      getHooks(name) {
        return this["_" + name];
      }
      /**
       * cleans all references from this suite and all child suites.
       */
      dispose() {
        this.suites.forEach(function(suite) {
          suite.dispose();
        });
        this.cleanReferences();
      }
      /**
       * Cleans up the references to all the deferred functions
       * (before/after/beforeEach/afterEach) and tests of a Suite.
       * These must be deleted otherwise a memory leak can happen,
       * as those functions may reference variables from closures,
       * thus those variables can never be garbage collected as long
       * as the deferred functions exist.
       *
       * @private
       */
      cleanReferences() {
        function cleanArrReferences(arr) {
          for (var i2 = 0; i2 < arr.length; i2++) {
            delete arr[i2].fn;
          }
        }
        if (Array.isArray(this._beforeAll)) {
          cleanArrReferences(this._beforeAll);
        }
        if (Array.isArray(this._beforeEach)) {
          cleanArrReferences(this._beforeEach);
        }
        if (Array.isArray(this._afterAll)) {
          cleanArrReferences(this._afterAll);
        }
        if (Array.isArray(this._afterEach)) {
          cleanArrReferences(this._afterEach);
        }
        for (var i = 0; i < this.tests.length; i++) {
          delete this.tests[i].fn;
        }
      }
      /**
       * Returns an object suitable for IPC.
       * Functions are represented by keys beginning with `$$`.
       * @private
       * @returns {Object}
       */
      serialize() {
        return {
          _bail: this._bail,
          $$fullTitle: this.fullTitle(),
          $$isPending: Boolean(this.isPending()),
          root: this.root,
          title: this.title,
          [MOCHA_ID_PROP_NAME2]: this.id,
          parent: this.parent ? { [MOCHA_ID_PROP_NAME2]: this.parent.id } : null
        };
      }
    };
  }
});

// node_modules/mocha/lib/runner.js
var runner_exports = {};
__export(runner_exports, {
  Runner: () => Runner
});
function createHookSkipError(hookTitle, hookError) {
  if (!hookError) {
    hookError = createInvalidExceptionError(
      'Hook "' + hookTitle + '" failed with exception: ' + hookError,
      hookError
    );
  } else if (!isError(hookError)) {
    hookError = thrown2Error(hookError);
  }
  var errorMessage = 'Test skipped due to failure in hook "' + hookTitle + '": ' + hookError.message;
  var testError = new Error(errorMessage);
  testError.stack = hookError.stack;
  return testError;
}
function filterLeaks(ok, globals2) {
  return globals2.filter(function(key) {
    if (/^\d+/.test(key)) {
      return false;
    }
    if (global.navigator && /^getInterface/.test(key)) {
      return false;
    }
    if (global.navigator && /^\d+/.test(key)) {
      return false;
    }
    if (/^mocha-/.test(key)) {
      return false;
    }
    var matched = ok.filter(function(ok2) {
      if (~ok2.indexOf("*")) {
        return key.indexOf(ok2.split("*")[0]) === 0;
      }
      return key === ok2;
    });
    return !matched.length && (!global.navigator || key !== "onerror");
  });
}
function isError(err) {
  return err instanceof Error || err && typeof err.message === "string";
}
function thrown2Error(err) {
  return new Error(
    `the ${import_utils5.default.canonicalType(err)} ${stringify(
      err
    )} was thrown, throw an Error :)`
  );
}
var import_node_events3, import_debug3, import_utils5, debug3, HOOK_TYPE_BEFORE_EACH, HOOK_TYPE_AFTER_EACH, HOOK_TYPE_AFTER_ALL, HOOK_TYPE_BEFORE_ALL, EVENT_ROOT_SUITE_RUN, STATE_FAILED, STATE_PASSED, STATE_PENDING, stackFilter, stringify, globals, constants2, Runner;
var init_runner = __esm({
  "node_modules/mocha/lib/runner.js"() {
    import_node_events3 = require("node:events");
    import_debug3 = __toESM(require_src(), 1);
    init_pending();
    import_utils5 = __toESM(require_utils(), 1);
    init_runnable();
    init_suite();
    init_errors();
    init_error_constants();
    debug3 = (0, import_debug3.default)("mocha:runner");
    HOOK_TYPE_BEFORE_EACH = Suite.constants.HOOK_TYPE_BEFORE_EACH;
    HOOK_TYPE_AFTER_EACH = Suite.constants.HOOK_TYPE_AFTER_EACH;
    HOOK_TYPE_AFTER_ALL = Suite.constants.HOOK_TYPE_AFTER_ALL;
    HOOK_TYPE_BEFORE_ALL = Suite.constants.HOOK_TYPE_BEFORE_ALL;
    EVENT_ROOT_SUITE_RUN = Suite.constants.EVENT_ROOT_SUITE_RUN;
    STATE_FAILED = Runnable.constants.STATE_FAILED;
    STATE_PASSED = Runnable.constants.STATE_PASSED;
    STATE_PENDING = Runnable.constants.STATE_PENDING;
    stackFilter = import_utils5.default.stackTraceFilter();
    stringify = import_utils5.default.stringify;
    globals = [
      "setTimeout",
      "clearTimeout",
      "setInterval",
      "clearInterval",
      "XMLHttpRequest",
      "Date",
      "setImmediate",
      "clearImmediate"
    ];
    constants2 = import_utils5.default.defineConstants(
      /**
       * {@link Runner}-related constants. Used by reporters. Each event emits the corresponding object, unless otherwise indicated.
       * @example
       * const Mocha = require('mocha');
       * const Base = Mocha.reporters.Base;
       * const {
       *   EVENT_HOOK_BEGIN,
       *   EVENT_TEST_PASS,
       *   EVENT_TEST_FAIL,
       *   EVENT_TEST_END
       * } = Mocha.Runner.constants
       *
       * function MyReporter(runner, options) {
       *   Base.call(this, runner, options);
       *
       *   runner.on(EVENT_HOOK_BEGIN, function(hook) {
       *     console.log('hook called: ', hook.title);
       *   });
       *
       *   runner.on(EVENT_TEST_PASS, function(test) {
       *     console.log('pass: %s', test.fullTitle());
       *   });
       *
       *   runner.on(EVENT_TEST_FAIL, function(test, err) {
       *     console.log('fail: %s -- error: %s', test.fullTitle(), err.message);
       *   });
       *
       *   runner.on(EVENT_TEST_END, function() {
       *     console.log('end: %d/%d', runner.stats.passes, runner.stats.tests);
       *   });
       * }
       *
       * module.exports = MyReporter;
       *
       * @public
       * @memberof Runner
       * @readonly
       * @alias constants
       * @static
       * @enum {string}
       */
      {
        /**
         * Emitted when {@link Hook} execution begins
         */
        EVENT_HOOK_BEGIN: "hook",
        /**
         * Emitted when {@link Hook} execution ends
         */
        EVENT_HOOK_END: "hook end",
        /**
         * Emitted when Root {@link Suite} execution begins (all files have been parsed and hooks/tests are ready for execution)
         */
        EVENT_RUN_BEGIN: "start",
        /**
         * Emitted when Root {@link Suite} execution has been delayed via `delay` option
         */
        EVENT_DELAY_BEGIN: "waiting",
        /**
         * Emitted when delayed Root {@link Suite} execution is triggered by user via `global.run()`
         */
        EVENT_DELAY_END: "ready",
        /**
         * Emitted when Root {@link Suite} execution ends
         */
        EVENT_RUN_END: "end",
        /**
         * Emitted when {@link Suite} execution begins
         */
        EVENT_SUITE_BEGIN: "suite",
        /**
         * Emitted when {@link Suite} execution ends
         */
        EVENT_SUITE_END: "suite end",
        /**
         * Emitted when {@link Test} execution begins
         */
        EVENT_TEST_BEGIN: "test",
        /**
         * Emitted when {@link Test} execution ends
         */
        EVENT_TEST_END: "test end",
        /**
         * Emitted when {@link Test} execution fails. Includes an `err` object of type `Error`.
         * @example
         * runner.on(EVENT_TEST_FAIL, function(test, err) {
         *   console.log('fail: %s -- error: %s', test.fullTitle(), err.message);
         * });
         *
         *
         */
        EVENT_TEST_FAIL: "fail",
        /**
         * Emitted when {@link Test} execution succeeds
         */
        EVENT_TEST_PASS: "pass",
        /**
         * Emitted when {@link Test} becomes pending
         */
        EVENT_TEST_PENDING: "pending",
        /**
         * Emitted when {@link Test} execution has failed, but will retry
         */
        EVENT_TEST_RETRY: "retry",
        /**
         * Initial state of Runner
         */
        STATE_IDLE: "idle",
        /**
         * State set to this value when the Runner has started running
         */
        STATE_RUNNING: "running",
        /**
         * State set to this value when the Runner has stopped
         */
        STATE_STOPPED: "stopped"
      }
    );
    Runner = class extends import_node_events3.EventEmitter {
      /**
       * Initialize a `Runner` at the Root {@link Suite}, which represents a hierarchy of {@link Suite|Suites} and {@link Test|Tests}.
       *
       * @extends external:EventEmitter
       * @public
       * @class
       * @param {Suite} suite - Root suite
       * @param {Object} [opts] - Settings object
       * @param {boolean} [opts.cleanReferencesAfterRun] - Whether to clean references to test fns and hooks when a suite is done.
       * @param {boolean} [opts.delay] - Whether to delay execution of root suite until ready.
       * @param {boolean} [opts.dryRun] - Whether to report tests without running them.
       * @param {boolean} [opts.failZero] - Whether to fail test run if zero tests encountered.
       * @param {boolean} [opts.failHookAffectedTests] - Whether to fail all tests affected by hook failures.
       */
      constructor(suite, opts = {}) {
        super();
        var self2 = this;
        this._globals = [];
        this._abort = false;
        this.suite = suite;
        this._opts = opts;
        this.state = constants2.STATE_IDLE;
        this.total = suite.total();
        this.failures = 0;
        this._eventListeners = /* @__PURE__ */ new Map();
        this.on(constants2.EVENT_TEST_END, function(test) {
          if (test.type === "test" && test.retriedTest() && test.parent) {
            var idx = test.parent.tests && test.parent.tests.indexOf(test.retriedTest());
            if (idx > -1) test.parent.tests[idx] = test;
          }
          self2.checkGlobals(test);
        });
        this.on(constants2.EVENT_HOOK_END, function(hook) {
          self2.checkGlobals(hook);
        });
        this._defaultGrep = /.*/;
        this.grep(this._defaultGrep);
        this.globals(this.globalProps());
        this.uncaught = this._uncaught.bind(this);
        this.unhandled = (reason, promise) => {
          if (isMochaError(reason)) {
            debug3(
              "trapped unhandled rejection coming out of Mocha; forwarding to uncaught handler:",
              reason
            );
            this.uncaught(reason);
          } else {
            debug3(
              "trapped unhandled rejection from (probably) user code; re-emitting on process"
            );
            this._removeEventListener(
              process,
              "unhandledRejection",
              this.unhandled
            );
            try {
              process.emit("unhandledRejection", reason, promise);
            } finally {
              this._addEventListener(process, "unhandledRejection", this.unhandled);
            }
          }
        };
      }
    };
    Runner.immediately = global.setImmediate;
    Runner.prototype._addEventListener = function(target, eventName, listener) {
      debug3(
        "_addEventListener(): adding for event %s; %d current listeners",
        eventName,
        target.listenerCount(eventName)
      );
      if (this._eventListeners.has(target) && this._eventListeners.get(target).has(eventName) && this._eventListeners.get(target).get(eventName).has(listener)) {
        debug3(
          "warning: tried to attach duplicate event listener for %s",
          eventName
        );
        return;
      }
      target.on(eventName, listener);
      const targetListeners = this._eventListeners.has(target) ? this._eventListeners.get(target) : /* @__PURE__ */ new Map();
      const targetEventListeners = targetListeners.has(eventName) ? targetListeners.get(eventName) : /* @__PURE__ */ new Set();
      targetEventListeners.add(listener);
      targetListeners.set(eventName, targetEventListeners);
      this._eventListeners.set(target, targetListeners);
    };
    Runner.prototype._removeEventListener = function(target, eventName, listener) {
      target.removeListener(eventName, listener);
      if (this._eventListeners.has(target)) {
        const targetListeners = this._eventListeners.get(target);
        if (targetListeners.has(eventName)) {
          const targetEventListeners = targetListeners.get(eventName);
          targetEventListeners.delete(listener);
          if (!targetEventListeners.size) {
            targetListeners.delete(eventName);
          }
        }
        if (!targetListeners.size) {
          this._eventListeners.delete(target);
        }
      } else {
        debug3("trying to remove listener for untracked object %s", target);
      }
    };
    Runner.prototype.dispose = function() {
      this.removeAllListeners();
      this._eventListeners.forEach((targetListeners, target) => {
        targetListeners.forEach((targetEventListeners, eventName) => {
          targetEventListeners.forEach((listener) => {
            target.removeListener(eventName, listener);
          });
        });
      });
      this._eventListeners.clear();
    };
    Runner.prototype.grep = function(re, invert) {
      debug3("grep(): setting to %s", re);
      this._grep = re;
      this._invert = invert;
      this.total = this.grepTotal(this.suite);
      return this;
    };
    Runner.prototype.grepTotal = function(suite) {
      var self2 = this;
      var total = 0;
      suite.eachTest(function(test) {
        var match = self2._grep.test(test.fullTitle());
        if (self2._invert) {
          match = !match;
        }
        if (match) {
          total++;
        }
      });
      return total;
    };
    Runner.prototype.globalProps = function() {
      var props = Object.keys(global);
      for (var i = 0; i < globals.length; ++i) {
        if (~props.indexOf(globals[i])) {
          continue;
        }
        props.push(globals[i]);
      }
      return props;
    };
    Runner.prototype.globals = function(arr) {
      if (!arguments.length) {
        return this._globals;
      }
      debug3("globals(): setting to %O", arr);
      this._globals = this._globals.concat(arr);
      return this;
    };
    Runner.prototype.checkGlobals = function(test) {
      if (!this.checkLeaks) {
        return;
      }
      var ok = this._globals;
      var globals2 = this.globalProps();
      var leaks;
      if (test) {
        ok = ok.concat(test._allowedGlobals || []);
      }
      if (this.prevGlobalsLength === globals2.length) {
        return;
      }
      this.prevGlobalsLength = globals2.length;
      leaks = filterLeaks(ok, globals2);
      this._globals = this._globals.concat(leaks);
      if (leaks.length) {
        var msg = `global leak(s) detected: ${leaks.map((e) => `'${e}'`).join(", ")}`;
        this.fail(test, new Error(msg));
      }
    };
    Runner.prototype.failAffectedTests = function(suite, hookError, hookTitle) {
      if (!this._opts.failHookAffectedTests) {
        return;
      }
      var self2 = this;
      var testError = createHookSkipError(hookTitle, hookError);
      function failTestsInSuite(s) {
        s.tests.forEach(function(test) {
          if (!test.state) {
            test.state = STATE_FAILED;
            self2.failures++;
            self2.emit(constants2.EVENT_TEST_BEGIN, test);
            self2.emit(constants2.EVENT_TEST_FAIL, test, testError);
            self2.emit(constants2.EVENT_TEST_END, test);
          }
        });
        s.suites.forEach(failTestsInSuite);
      }
      failTestsInSuite(suite);
    };
    Runner.prototype.fail = function(test, err, force) {
      force = force === true;
      if (test.isPending() && !force) {
        return;
      }
      if (this.state === constants2.STATE_STOPPED) {
        if (err.code === constants.MULTIPLE_DONE) {
          throw err;
        }
        throw createFatalError(
          "Test failed after root suite execution completed!",
          err
        );
      }
      ++this.failures;
      debug3("total number of failures: %d", this.failures);
      test.state = STATE_FAILED;
      if (!isError(err)) {
        err = thrown2Error(err);
      }
      if (!this.fullStackTrace) {
        const alreadyFiltered = /* @__PURE__ */ new Set();
        let currentErr = err;
        while (currentErr && currentErr.stack && !alreadyFiltered.has(currentErr)) {
          alreadyFiltered.add(currentErr);
          try {
            currentErr.stack = stackFilter(currentErr.stack);
          } catch {
          }
          currentErr = currentErr.cause;
        }
      }
      this.emit(constants2.EVENT_TEST_FAIL, test, err);
    };
    Runner.prototype.hook = function(name, fn) {
      if (this._opts.dryRun) return fn();
      var suite = this.suite;
      var hooks = suite.getHooks(name);
      var self2 = this;
      function next(i) {
        var hook = hooks[i];
        if (!hook) {
          return fn();
        }
        self2.currentRunnable = hook;
        if (name === HOOK_TYPE_BEFORE_ALL) {
          hook.ctx.currentTest = hook.parent.tests[0];
        } else if (name === HOOK_TYPE_AFTER_ALL) {
          hook.ctx.currentTest = hook.parent.tests[hook.parent.tests.length - 1];
        } else {
          hook.ctx.currentTest = self2.test;
        }
        setHookTitle(hook);
        hook.allowUncaught = self2.allowUncaught;
        self2.emit(constants2.EVENT_HOOK_BEGIN, hook);
        if (!hook.listeners("error").length) {
          self2._addEventListener(hook, "error", function(err) {
            self2.fail(hook, err);
          });
        }
        hook.run(function cbHookRun(err) {
          var testError = hook.error();
          if (testError) {
            self2.fail(self2.test, testError);
          }
          if (hook.pending) {
            if (name === HOOK_TYPE_AFTER_EACH) {
              if (self2.test) {
                self2.test.pending = true;
              }
            } else if (name === HOOK_TYPE_BEFORE_EACH) {
              if (self2.test) {
                self2.test.pending = true;
              }
              self2.emit(constants2.EVENT_HOOK_END, hook);
              hook.pending = false;
              return fn(new Error("abort hookDown"));
            } else if (name === HOOK_TYPE_BEFORE_ALL) {
              suite.tests.forEach(function(test) {
                test.pending = true;
              });
              suite.suites.forEach(function(suite2) {
                suite2.pending = true;
              });
              hooks = [];
            } else {
              hook.pending = false;
              var errForbid = createUnsupportedError("`this.skip` forbidden");
              self2.fail(hook, errForbid);
              return fn(errForbid);
            }
          } else if (err) {
            self2.fail(hook, err);
            if (self2._opts.failHookAffectedTests) {
              if (name === HOOK_TYPE_BEFORE_ALL) {
                self2.failAffectedTests(self2.suite, err, hook.title);
              } else if (name === HOOK_TYPE_BEFORE_EACH) {
                if (self2.test && !self2.test.state) {
                  var testError = createHookSkipError(hook.title, err);
                  self2.test.state = STATE_FAILED;
                  self2.failures++;
                  self2.emit(constants2.EVENT_TEST_BEGIN, self2.test);
                  self2.emit(constants2.EVENT_TEST_FAIL, self2.test, testError);
                  self2.emit(constants2.EVENT_TEST_END, self2.test);
                }
                self2._failedBeforeEachHook = {
                  error: err,
                  title: hook.title
                };
              }
            }
            return fn(err);
          }
          self2.emit(constants2.EVENT_HOOK_END, hook);
          delete hook.ctx.currentTest;
          setHookTitle(hook);
          next(++i);
        });
        function setHookTitle(hook2) {
          hook2.originalTitle = hook2.originalTitle || hook2.title;
          if (hook2.ctx && hook2.ctx.currentTest) {
            hook2.title = `${hook2.originalTitle} for "${hook2.ctx.currentTest.title}"`;
          } else {
            var parentTitle;
            if (hook2.parent.title) {
              parentTitle = hook2.parent.title;
            } else {
              parentTitle = hook2.parent.root ? "{root}" : "";
            }
            hook2.title = `${hook2.originalTitle} in "${parentTitle}"`;
          }
        }
      }
      Runner.immediately(function() {
        next(0);
      });
    };
    Runner.prototype.hooks = function(name, suites, fn) {
      var self2 = this;
      var orig = this.suite;
      function next(suite) {
        self2.suite = suite;
        if (!suite) {
          self2.suite = orig;
          return fn();
        }
        self2.hook(name, function(err) {
          if (err) {
            var errSuite = self2.suite;
            self2.suite = orig;
            return fn(err, errSuite);
          }
          next(suites.pop());
        });
      }
      next(suites.pop());
    };
    Runner.prototype.hookUp = function(name, fn) {
      var suites = [this.suite].concat(this.parents()).reverse();
      this.hooks(name, suites, fn);
    };
    Runner.prototype.hookDown = function(name, fn) {
      var suites = [this.suite].concat(this.parents());
      this.hooks(name, suites, fn);
    };
    Runner.prototype.parents = function() {
      var suite = this.suite;
      var suites = [];
      while (suite.parent) {
        suite = suite.parent;
        suites.push(suite);
      }
      return suites;
    };
    Runner.prototype.runTest = function(fn) {
      if (this._opts.dryRun) return Runner.immediately(fn);
      var self2 = this;
      var test = this.test;
      if (!test) {
        return;
      }
      if (this.asyncOnly) {
        test.asyncOnly = true;
      }
      this._addEventListener(test, "error", function(err) {
        self2.fail(test, err);
      });
      if (this.allowUncaught) {
        test.allowUncaught = true;
        return test.run(fn);
      }
      try {
        test.run(fn);
      } catch (err) {
        fn(err);
      }
    };
    Runner.prototype.runTests = function(suite, fn) {
      var self2 = this;
      var tests = suite.tests.slice();
      var test;
      function hookErr(err, errSuite, after) {
        var orig = self2.suite;
        if (self2._opts.failHookAffectedTests && !after && self2._failedBeforeEachHook) {
          self2.failAffectedTests(
            suite,
            self2._failedBeforeEachHook.error,
            self2._failedBeforeEachHook.title
          );
          delete self2._failedBeforeEachHook;
        }
        self2.suite = after ? errSuite.parent : errSuite;
        if (self2.suite) {
          self2.hookUp(HOOK_TYPE_AFTER_EACH, function(err2, errSuite2) {
            self2.suite = orig;
            if (err2) {
              return hookErr(err2, errSuite2, true);
            }
            fn(errSuite);
          });
        } else {
          self2.suite = orig;
          fn(errSuite);
        }
      }
      function next(err, errSuite) {
        if (self2.failures && suite._bail) {
          tests = [];
        }
        if (self2._abort) {
          return fn();
        }
        if (err) {
          return hookErr(err, errSuite, true);
        }
        test = tests.shift();
        if (!test) {
          return fn();
        }
        var match = self2._grep.test(test.fullTitle());
        if (self2._invert) {
          match = !match;
        }
        if (!match) {
          if (self2._grep !== self2._defaultGrep) {
            Runner.immediately(next);
          } else {
            next();
          }
          return;
        }
        if (test.isPending()) {
          if (self2.forbidPending) {
            self2.fail(test, new Error("Pending test forbidden"), true);
          } else {
            test.state = STATE_PENDING;
            self2.emit(constants2.EVENT_TEST_PENDING, test);
          }
          self2.emit(constants2.EVENT_TEST_END, test);
          return next();
        }
        self2.emit(constants2.EVENT_TEST_BEGIN, self2.test = test);
        self2.hookDown(HOOK_TYPE_BEFORE_EACH, function(err2, errSuite2) {
          if (test.isPending()) {
            if (self2.forbidPending) {
              self2.fail(test, new Error("Pending test forbidden"), true);
            } else {
              test.state = STATE_PENDING;
              self2.emit(constants2.EVENT_TEST_PENDING, test);
            }
            self2.emit(constants2.EVENT_TEST_END, test);
            var origSuite = self2.suite;
            self2.suite = errSuite2 || self2.suite;
            return self2.hookUp(HOOK_TYPE_AFTER_EACH, function(e, eSuite) {
              self2.suite = origSuite;
              next(e, eSuite);
            });
          }
          if (err2) {
            return hookErr(err2, errSuite2, false);
          }
          self2.currentRunnable = self2.test;
          self2.runTest(function(err3) {
            test = self2.test;
            if (test.pending) {
              if (self2.forbidPending) {
                self2.fail(test, new Error("Pending test forbidden"), true);
              } else {
                test.state = STATE_PENDING;
                self2.emit(constants2.EVENT_TEST_PENDING, test);
              }
              self2.emit(constants2.EVENT_TEST_END, test);
              return self2.hookUp(HOOK_TYPE_AFTER_EACH, next);
            } else if (err3) {
              var retry = test.currentRetry();
              if (retry < test.retries()) {
                var clonedTest = test.clone();
                clonedTest.currentRetry(retry + 1);
                tests.unshift(clonedTest);
                self2.emit(constants2.EVENT_TEST_RETRY, test, err3);
                return self2.hookUp(HOOK_TYPE_AFTER_EACH, next);
              } else {
                self2.fail(test, err3);
              }
              self2.emit(constants2.EVENT_TEST_END, test);
              return self2.hookUp(HOOK_TYPE_AFTER_EACH, next);
            }
            test.state = STATE_PASSED;
            self2.emit(constants2.EVENT_TEST_PASS, test);
            self2.emit(constants2.EVENT_TEST_END, test);
            self2.hookUp(HOOK_TYPE_AFTER_EACH, next);
          });
        });
      }
      this.next = next;
      this.hookErr = hookErr;
      next();
    };
    Runner.prototype.runSuite = function(suite, fn) {
      var i = 0;
      var self2 = this;
      var total = this.grepTotal(suite);
      debug3("runSuite(): running %s", suite.fullTitle());
      if (!total || self2.failures && suite._bail) {
        debug3("runSuite(): bailing");
        return fn();
      }
      this.emit(constants2.EVENT_SUITE_BEGIN, this.suite = suite);
      function next(errSuite) {
        if (errSuite) {
          if (errSuite === suite) {
            return done();
          }
          return done(errSuite);
        }
        if (self2._abort) {
          return done();
        }
        var curr = suite.suites[i++];
        if (!curr) {
          return done();
        }
        if (self2._grep !== self2._defaultGrep) {
          Runner.immediately(function() {
            self2.runSuite(curr, next);
          });
        } else {
          self2.runSuite(curr, next);
        }
      }
      function done(errSuite) {
        self2.suite = suite;
        self2.nextSuite = next;
        delete self2.test;
        self2.hook(HOOK_TYPE_AFTER_ALL, function() {
          self2.emit(constants2.EVENT_SUITE_END, suite);
          fn(errSuite);
        });
      }
      this.nextSuite = next;
      this.hook(HOOK_TYPE_BEFORE_ALL, function(err) {
        if (err) {
          return done();
        }
        self2.runTests(suite, next);
      });
    };
    Runner.prototype._uncaught = function(err) {
      if (!(this instanceof Runner)) {
        throw createFatalError(
          "Runner#uncaught() called with invalid context",
          this
        );
      }
      if (err instanceof PendingError) {
        debug3("uncaught(): caught a PendingError");
        return;
      }
      if (this.allowUncaught && !import_utils5.default.isBrowser()) {
        debug3("uncaught(): bubbling exception due to --allow-uncaught");
        throw err;
      }
      if (this.state === constants2.STATE_STOPPED) {
        debug3("uncaught(): throwing after run has completed!");
        throw err;
      }
      if (err) {
        debug3("uncaught(): got truthy exception %O", err);
      } else {
        debug3("uncaught(): undefined/falsy exception");
        err = createInvalidExceptionError(
          "Caught falsy/undefined exception which would otherwise be uncaught. No stack trace found; try a debugger",
          err
        );
      }
      if (!isError(err)) {
        err = thrown2Error(err);
        debug3('uncaught(): converted "error" %o to Error', err);
      }
      err.uncaught = true;
      var runnable = this.currentRunnable;
      if (!runnable) {
        runnable = new Runnable("Uncaught error outside test suite");
        debug3("uncaught(): no current Runnable; created a phony one");
        runnable.parent = this.suite;
        if (err.file) {
          runnable.file = err.file;
        }
        if (this.state === constants2.STATE_RUNNING) {
          debug3("uncaught(): failing gracefully");
          this.fail(runnable, err);
        } else {
          debug3("uncaught(): test run has not yet started; unrecoverable");
          this.emit(constants2.EVENT_RUN_BEGIN);
          this.fail(runnable, err);
          this.emit(constants2.EVENT_RUN_END);
        }
        return;
      }
      runnable.clearTimeout();
      if (runnable.isFailed()) {
        debug3("uncaught(): Runnable has already failed");
        return;
      } else if (runnable.isPending()) {
        debug3("uncaught(): pending Runnable wound up failing!");
        this.fail(runnable, err, true);
        return;
      }
      if (runnable.isPassed()) {
        debug3("uncaught(): Runnable has already passed; bailing gracefully");
        this.fail(runnable, err);
        this.abort();
      } else {
        debug3("uncaught(): forcing Runnable to complete with Error");
        return runnable.callback(err);
      }
    };
    Runner.prototype.run = function(fn, opts = {}) {
      var rootSuite = this.suite;
      var options = opts.options || {};
      debug3("run(): got options: %O", options);
      fn = fn || function() {
      };
      const end = () => {
        if (!this.total && this._opts.failZero) this.failures = 1;
        debug3("run(): root suite completed; emitting %s", constants2.EVENT_RUN_END);
        this.emit(constants2.EVENT_RUN_END);
      };
      const begin = () => {
        debug3("run(): emitting %s", constants2.EVENT_RUN_BEGIN);
        this.emit(constants2.EVENT_RUN_BEGIN);
        debug3("run(): emitted %s", constants2.EVENT_RUN_BEGIN);
        this.runSuite(rootSuite, end);
      };
      const prepare = () => {
        debug3("run(): starting");
        if (rootSuite.hasOnly()) {
          rootSuite.filterOnly();
          debug3("run(): filtered exclusive Runnables");
        }
        this.state = constants2.STATE_RUNNING;
        if (this._opts.delay) {
          this.emit(constants2.EVENT_DELAY_END);
          debug3('run(): "delay" ended');
        }
        return begin();
      };
      if (this._opts.cleanReferencesAfterRun) {
        this.on(constants2.EVENT_SUITE_END, (suite) => {
          suite.cleanReferences();
        });
      }
      this.on(constants2.EVENT_RUN_END, function() {
        this.state = constants2.STATE_STOPPED;
        debug3("run(): emitted %s", constants2.EVENT_RUN_END);
        fn(this.failures);
      });
      this._removeEventListener(process, "uncaughtException", this.uncaught);
      this._removeEventListener(process, "unhandledRejection", this.unhandled);
      this._addEventListener(process, "uncaughtException", this.uncaught);
      this._addEventListener(process, "unhandledRejection", this.unhandled);
      if (this._opts.delay) {
        this.emit(constants2.EVENT_DELAY_BEGIN, rootSuite);
        rootSuite.once(EVENT_ROOT_SUITE_RUN, prepare);
        debug3("run(): waiting for green light due to --delay");
      } else {
        Runner.immediately(prepare);
      }
      return this;
    };
    Runner.prototype.linkPartialObjects = function() {
      return this;
    };
    Runner.prototype.runAsync = async function runAsync(opts = {}) {
      return new Promise((resolve) => {
        this.run(resolve, opts);
      });
    };
    Runner.prototype.abort = function() {
      debug3("abort(): aborting");
      this._abort = true;
      return this;
    };
    Runner.prototype.isParallelMode = function isParallelMode() {
      return false;
    };
    Runner.prototype.workerReporter = function() {
      throw createUnsupportedError("workerReporter() not supported in serial mode");
    };
    Runner.constants = constants2;
  }
});

// node_modules/mocha/lib/reporters/base.js
var base_exports = {};
__export(base_exports, {
  Base: () => Base
});
function getBrowserWindowSize() {
  if ("innerHeight" in global) {
    return [global.innerHeight, global.innerWidth];
  }
  return [640, 480];
}
function estimateSize(val, maxDepth, seen) {
  if (maxDepth <= 0) return -1;
  seen = seen || /* @__PURE__ */ new Set();
  const type2 = typeof val;
  if (type2 === "string") return val.length;
  if (type2 === "number" || type2 === "boolean") return 8;
  if (val === null || val === void 0) return 4;
  if (type2 === "object") {
    if (seen.has(val)) return -1;
    seen.add(val);
    if (typeof Buffer !== "undefined" && Buffer.isBuffer(val)) {
      return val.length > 1e4 ? -1 : val.length * 2;
    }
    let size = 2;
    try {
      const keys = Object.keys(val);
      if (keys.length > 1e3) return -1;
      for (const key of keys) {
        const childSize = estimateSize(val[key], maxDepth - 1, seen);
        if (childSize === -1) return -1;
        size += key.length + childSize + 4;
        if (size > 1e5) return -1;
      }
    } catch {
      return -1;
    }
    seen.delete(val);
    return size;
  }
  return 50;
}
function stringifyDiffObjs(err) {
  if (!import_utils6.default.isString(err.actual) || !import_utils6.default.isString(err.expected)) {
    const maxSafeSize = Base.maxDiffSize || 8192;
    const actualSize = estimateSize(err.actual, 10);
    const expectedSize = estimateSize(err.expected, 10);
    if (actualSize === -1 || expectedSize === -1 || actualSize > maxSafeSize || expectedSize > maxSafeSize) {
      err.actual = "[object too large to diff]";
      err.expected = "[object too large to diff]";
      return;
    }
    err.actual = import_utils6.default.stringify(err.actual);
    err.expected = import_utils6.default.stringify(err.expected);
  }
}
function pad(str, len) {
  str = String(str);
  return Array(len - str.length + 1).join(" ") + str;
}
function inlineDiff(actual, expected) {
  var msg = errorDiff(actual, expected);
  var lines = msg.split("\n");
  if (lines.length > 4) {
    var width = String(lines.length).length;
    msg = lines.map(function(str, i) {
      return pad(i + 1, width) + " | " + str;
    }).join("\n");
  }
  msg = "\n" + Base.color("diff removed inline", "actual") + " " + Base.color("diff added inline", "expected") + "\n\n" + msg + "\n";
  msg = msg.replace(/^/gm, "      ");
  return msg;
}
function unifiedDiff(actual, expected) {
  var indent2 = "      ";
  function cleanUp(line) {
    if (line[0] === "+") {
      return indent2 + colorLines("diff added", line);
    }
    if (line[0] === "-") {
      return indent2 + colorLines("diff removed", line);
    }
    if (line.match(/@@/)) {
      return "--";
    }
    if (line.match(/\\ No newline/)) {
      return null;
    }
    return indent2 + line;
  }
  function notBlank(line) {
    return typeof line !== "undefined" && line !== null;
  }
  var msg = createPatch("string", actual, expected);
  var lines = msg.split("\n").splice(5);
  return "\n      " + colorLines("diff added", "+ expected") + " " + colorLines("diff removed", "- actual") + "\n\n" + lines.map(cleanUp).filter(notBlank).join("\n");
}
function errorDiff(actual, expected) {
  return diffWordsWithSpace(actual, expected).map(function(str) {
    if (str.added) {
      return colorLines("diff added inline", str.value);
    }
    if (str.removed) {
      return colorLines("diff removed inline", str.value);
    }
    return str.value;
  }).join("");
}
function colorLines(name, str) {
  return str.split("\n").map(function(str2) {
    return Base.color(name, str2);
  }).join("\n");
}
function sameType(a, b) {
  return objToString.call(a) === objToString.call(b);
}
var import_ms3, import_utils6, import_supports_color, constants3, EVENT_TEST_PASS, EVENT_TEST_FAIL, isBrowser, isatty, consoleLog, Base, getFullErrorStack, objToString;
var init_base2 = __esm({
  "node_modules/mocha/lib/reporters/base.js"() {
    init_libesm();
    import_ms3 = __toESM(require_ms(), 1);
    import_utils6 = __toESM(require_utils(), 1);
    import_supports_color = __toESM(require_supports_color(), 1);
    init_runner();
    ({ constants: constants3 } = Runner);
    EVENT_TEST_PASS = constants3.EVENT_TEST_PASS;
    EVENT_TEST_FAIL = constants3.EVENT_TEST_FAIL;
    isBrowser = import_utils6.default.isBrowser();
    isatty = isBrowser || process.stdout.isTTY && process.stderr.isTTY;
    consoleLog = console.log;
    Base = class _Base {
      /**
       * Constructs a new `Base` reporter instance.
       *
       * @public
       * @memberof Mocha.reporters
       * @param {Runner} runner - Instance triggers reporter actions.
       * @param {Object} [options] - runner options
       */
      constructor(runner, options) {
        var failures = this.failures = [];
        if (!runner) {
          throw new TypeError("Missing runner argument");
        }
        this.options = options || {};
        this.runner = runner;
        this.stats = runner.stats;
        var maxDiffSizeOpt = this.options.reporterOption && this.options.reporterOption.maxDiffSize;
        if (maxDiffSizeOpt !== void 0 && !isNaN(Number(maxDiffSizeOpt))) {
          _Base.maxDiffSize = Number(maxDiffSizeOpt);
        }
        runner.on(EVENT_TEST_PASS, function(test) {
          if (test.duration > test.slow()) {
            test.speed = "slow";
          } else if (test.duration > test.slow() / 2) {
            test.speed = "medium";
          } else {
            test.speed = "fast";
          }
        });
        runner.on(EVENT_TEST_FAIL, function(test, err) {
          if (_Base.showDiff(err)) {
            stringifyDiffObjs(err);
          }
          if (test.err && err instanceof Error) {
            test.err.multiple = (test.err.multiple || []).concat(err);
          } else {
            test.err = err;
          }
          failures.push(test);
        });
      }
      /**
       * Outputs common epilogue used by many of the bundled reporters.
       *
       * @public
       * @memberof Mocha.reporters
       */
      epilogue() {
        var stats = this.stats;
        var fmt;
        _Base.consoleLog();
        fmt = _Base.color("bright pass", " ") + _Base.color("green", " %d passing") + _Base.color("light", " (%s)");
        _Base.consoleLog(fmt, stats.passes || 0, (0, import_ms3.default)(stats.duration));
        if (stats.pending) {
          fmt = _Base.color("pending", " ") + _Base.color("pending", " %d pending");
          _Base.consoleLog(fmt, stats.pending);
        }
        if (stats.failures) {
          fmt = _Base.color("fail", "  %d failing");
          _Base.consoleLog(fmt, stats.failures);
          _Base.list(this.failures);
          _Base.consoleLog();
        }
        _Base.consoleLog();
      }
    };
    Base.consoleLog = consoleLog;
    Base.abstract = true;
    Base.useColors = !isBrowser && (import_supports_color.default.stdout || process.env.MOCHA_COLORS !== void 0);
    Base.inlineDiffs = false;
    Base.maxDiffSize = 8192;
    Base.colors = {
      pass: 90,
      fail: 31,
      "bright pass": 92,
      "bright fail": 91,
      "bright yellow": 93,
      pending: 36,
      suite: 0,
      "error title": 0,
      "error message": 31,
      "error stack": 90,
      checkmark: 32,
      fast: 90,
      medium: 33,
      slow: 31,
      green: 32,
      light: 90,
      "diff gutter": 90,
      "diff added": 32,
      "diff removed": 31,
      "diff added inline": "30;42",
      "diff removed inline": "30;41"
    };
    Base.symbols = {
      ok: import_utils6.default.logSymbols.success,
      err: import_utils6.default.logSymbols.error,
      dot: ".",
      comma: ",",
      bang: "!"
    };
    Base.color = function(type2, str) {
      if (!Base.useColors) {
        return String(str);
      }
      return "\x1B[" + Base.colors[type2] + "m" + str + "\x1B[0m";
    };
    Base.window = {
      width: 75
    };
    if (isatty) {
      if (isBrowser) {
        Base.window.width = getBrowserWindowSize()[1];
      } else {
        Base.window.width = process.stdout.getWindowSize(1)[0];
      }
    }
    Base.cursor = {
      hide: function() {
        isatty && process.stdout.write("\x1B[?25l");
      },
      show: function() {
        isatty && process.stdout.write("\x1B[?25h");
      },
      deleteLine: function() {
        isatty && process.stdout.write("\x1B[2K");
      },
      beginningOfLine: function() {
        isatty && process.stdout.write("\x1B[0G");
      },
      CR: function() {
        if (isatty) {
          Base.cursor.deleteLine();
          Base.cursor.beginningOfLine();
        } else {
          process.stdout.write("\r");
        }
      }
    };
    Base.showDiff = function(err) {
      return err && err.showDiff !== false && sameType(err.actual, err.expected) && err.expected !== void 0;
    };
    Base.generateDiff = function(actual, expected) {
      try {
        var maxLen = Base.maxDiffSize;
        var skipped = 0;
        if (maxLen > 0) {
          skipped = Math.max(actual.length - maxLen, expected.length - maxLen);
          actual = actual.slice(0, maxLen);
          expected = expected.slice(0, maxLen);
        }
        let result = Base.inlineDiffs ? inlineDiff(actual, expected) : unifiedDiff(actual, expected);
        if (skipped > 0) {
          result = `${result}
      [mocha] output truncated to ${maxLen} characters, see "maxDiffSize" reporter-option
`;
        }
        return result;
      } catch {
        var msg = "\n      " + Base.color("diff added", "+ expected") + " " + Base.color("diff removed", "- actual:  failed to generate Mocha diff") + "\n";
        return msg;
      }
    };
    getFullErrorStack = function(err, seen) {
      if (seen && seen.has(err)) {
        return { message: "", msg: "<circular>", stack: "" };
      }
      var message;
      var usedInspect = false;
      if (typeof err.inspect === "function") {
        message = err.inspect() + "";
        usedInspect = true;
      } else if (err.message && typeof err.message.toString === "function") {
        message = err.message + "";
      } else {
        message = "";
      }
      var rawStack = err.stack || message;
      var lines = rawStack.split("\n");
      var lastLine = lines.length - 1;
      while (lastLine >= 0 && lines[lastLine] === "") {
        lastLine--;
      }
      var frameStart = lastLine + 1;
      for (var i = lastLine; i >= 0; i--) {
        if (/^\s+at\s/.test(lines[i])) {
          frameStart = i;
        } else {
          break;
        }
      }
      var msg;
      var stack;
      var splitSucceeded = false;
      if (frameStart <= lastLine) {
        stack = lines.slice(frameStart, lastLine + 1).join("\n");
        msg = usedInspect || frameStart === 0 ? message : lines.slice(0, frameStart).join("\n");
        splitSucceeded = true;
      } else {
        var index = message ? rawStack.indexOf(message) : -1;
        if (index === -1) {
          msg = message;
          stack = rawStack;
        } else {
          index += message.length;
          msg = rawStack.slice(0, index);
          stack = rawStack.slice(index + 1);
          splitSucceeded = true;
        }
      }
      if (splitSucceeded && err.cause) {
        seen = seen || /* @__PURE__ */ new Set();
        seen.add(err);
        const causeStack = getFullErrorStack(err.cause, seen);
        stack += "\n   Caused by: " + causeStack.msg + (causeStack.stack ? "\n" + causeStack.stack : "");
      }
      return {
        message,
        msg,
        stack
      };
    };
    Base.list = function(failures) {
      var multipleErr, multipleTest;
      Base.consoleLog();
      failures.forEach(function(test, i) {
        var fmt = Base.color("error title", "  %s) %s:\n") + Base.color("error message", "     %s") + Base.color("error stack", "\n%s\n");
        var err;
        if (test.err && test.err.multiple) {
          if (multipleTest !== test) {
            multipleTest = test;
            multipleErr = [test.err].concat(test.err.multiple);
          }
          err = multipleErr.shift();
        } else {
          err = test.err;
        }
        var { message, msg, stack } = getFullErrorStack(err);
        if (err.uncaught) {
          msg = "Uncaught " + msg;
        }
        if (!Base.hideDiff && Base.showDiff(err)) {
          stringifyDiffObjs(err);
          fmt = Base.color("error title", "  %s) %s:\n%s") + Base.color("error stack", "\n%s\n");
          var match = message.match(/^([^:]+): expected/);
          msg = "\n      " + Base.color("error message", match ? match[1] : msg);
          msg += Base.generateDiff(err.actual, err.expected);
        }
        stack = stack.replace(/^/gm, "  ");
        var testTitle = "";
        test.titlePath().forEach(function(str, index) {
          if (index !== 0) {
            testTitle += "\n     ";
          }
          for (var i2 = 0; i2 < index; i2++) {
            testTitle += "  ";
          }
          testTitle += str;
        });
        Base.consoleLog(fmt, i + 1, testTitle, msg, stack);
      });
    };
    objToString = Object.prototype.toString;
  }
});

// node_modules/mocha/lib/reporters/dot.js
var dot_exports = {};
__export(dot_exports, {
  Dot: () => Dot
});
var constants4, EVENT_TEST_PASS2, EVENT_TEST_FAIL2, EVENT_RUN_BEGIN, EVENT_TEST_PENDING, EVENT_RUN_END, Dot;
var init_dot = __esm({
  "node_modules/mocha/lib/reporters/dot.js"() {
    init_base2();
    init_runner();
    ({ constants: constants4 } = Runner);
    EVENT_TEST_PASS2 = constants4.EVENT_TEST_PASS;
    EVENT_TEST_FAIL2 = constants4.EVENT_TEST_FAIL;
    EVENT_RUN_BEGIN = constants4.EVENT_RUN_BEGIN;
    EVENT_TEST_PENDING = constants4.EVENT_TEST_PENDING;
    EVENT_RUN_END = constants4.EVENT_RUN_END;
    Dot = class extends Base {
      static description = "dot matrix representation";
      /**
       * Constructs a new `Dot` reporter instance.
       *
       * @public
       * @memberof Mocha.reporters
       * @extends Mocha.reporters.Base
       * @param {Runner} runner - Instance triggers reporter actions.
       * @param {Object} [options] - runner options
       */
      constructor(runner, options) {
        super(runner, options);
        var self2 = this;
        var width = Base.window.width * 0.75 | 0;
        var n = -1;
        runner.on(EVENT_RUN_BEGIN, function() {
          process.stdout.write("\n");
        });
        runner.on(EVENT_TEST_PENDING, function() {
          if (++n % width === 0) {
            process.stdout.write("\n  ");
          }
          process.stdout.write(Base.color("pending", Base.symbols.comma));
        });
        runner.on(EVENT_TEST_PASS2, function(test) {
          if (++n % width === 0) {
            process.stdout.write("\n  ");
          }
          if (test.speed === "slow") {
            process.stdout.write(Base.color("bright yellow", Base.symbols.dot));
          } else {
            process.stdout.write(Base.color(test.speed, Base.symbols.dot));
          }
        });
        runner.on(EVENT_TEST_FAIL2, function() {
          if (++n % width === 0) {
            process.stdout.write("\n  ");
          }
          process.stdout.write(Base.color("fail", Base.symbols.bang));
        });
        runner.once(EVENT_RUN_END, function() {
          process.stdout.write("\n");
          self2.epilogue();
        });
      }
    };
  }
});

// node_modules/mocha/lib/reporters/doc.js
var doc_exports = {};
__export(doc_exports, {
  Doc: () => Doc
});
var import_utils7, constants5, EVENT_TEST_PASS3, EVENT_TEST_FAIL3, EVENT_SUITE_BEGIN, EVENT_SUITE_END, Doc;
var init_doc = __esm({
  "node_modules/mocha/lib/reporters/doc.js"() {
    init_base2();
    import_utils7 = __toESM(require_utils(), 1);
    init_runner();
    constants5 = Runner.constants;
    EVENT_TEST_PASS3 = constants5.EVENT_TEST_PASS;
    EVENT_TEST_FAIL3 = constants5.EVENT_TEST_FAIL;
    EVENT_SUITE_BEGIN = constants5.EVENT_SUITE_BEGIN;
    EVENT_SUITE_END = constants5.EVENT_SUITE_END;
    Doc = class extends Base {
      static description = "HTML documentation";
      /**
       * Constructs a new `Doc` reporter instance.
       *
       * @public
       * @memberof Mocha.reporters
       * @extends Mocha.reporters.Base
       * @param {Runner} runner - Instance triggers reporter actions.
       * @param {Object} [options] - runner options
       */
      constructor(runner, options) {
        super(runner, options);
        var indents = 2;
        function indent2() {
          return Array(indents).join("  ");
        }
        runner.on(EVENT_SUITE_BEGIN, function(suite) {
          if (suite.root) {
            return;
          }
          ++indents;
          Base.consoleLog('%s<section class="suite">', indent2());
          ++indents;
          Base.consoleLog("%s<h1>%s</h1>", indent2(), import_utils7.default.escape(suite.title));
          Base.consoleLog("%s<dl>", indent2());
        });
        runner.on(EVENT_SUITE_END, function(suite) {
          if (suite.root) {
            return;
          }
          Base.consoleLog("%s</dl>", indent2());
          --indents;
          Base.consoleLog("%s</section>", indent2());
          --indents;
        });
        runner.on(EVENT_TEST_PASS3, function(test) {
          Base.consoleLog("%s  <dt>%s</dt>", indent2(), import_utils7.default.escape(test.title));
          Base.consoleLog("%s  <dt>%s</dt>", indent2(), import_utils7.default.escape(test.file));
          var code = import_utils7.default.escape(import_utils7.default.clean(test.body));
          Base.consoleLog(
            "%s  <dd><pre><code>%s</code></pre></dd>",
            indent2(),
            code
          );
        });
        runner.on(EVENT_TEST_FAIL3, function(test, err) {
          Base.consoleLog(
            '%s  <dt class="error">%s</dt>',
            indent2(),
            import_utils7.default.escape(test.title)
          );
          Base.consoleLog(
            '%s  <dt class="error">%s</dt>',
            indent2(),
            import_utils7.default.escape(test.file)
          );
          var code = import_utils7.default.escape(import_utils7.default.clean(test.body));
          Base.consoleLog(
            '%s  <dd class="error"><pre><code>%s</code></pre></dd>',
            indent2(),
            code
          );
          Base.consoleLog(
            '%s  <dd class="error">%s</dd>',
            indent2(),
            import_utils7.default.escape(err)
          );
        });
      }
    };
  }
});

// node_modules/mocha/lib/reporters/tap.js
var tap_exports = {};
__export(tap_exports, {
  TAP: () => TAP
});
function title(test) {
  return test.fullTitle().replace(/#/g, "");
}
function println() {
  var vargs = Array.from(arguments);
  vargs[0] += "\n";
  process.stdout.write(sprintf.apply(null, vargs));
}
function createProducer(tapVersion) {
  var producers = {
    12: new TAP12Producer(),
    13: new TAP13Producer()
  };
  var producer = producers[tapVersion];
  if (!producer) {
    throw new Error(
      "invalid or unsupported TAP version: " + JSON.stringify(tapVersion)
    );
  }
  return producer;
}
function indent(level) {
  return Array(level + 1).join("  ");
}
var import_node_util2, constants6, EVENT_TEST_PASS4, EVENT_TEST_FAIL4, EVENT_RUN_BEGIN2, EVENT_RUN_END2, EVENT_TEST_PENDING2, EVENT_TEST_END, sprintf, TAP, TAPProducer, TAP12Producer, TAP13Producer;
var init_tap = __esm({
  "node_modules/mocha/lib/reporters/tap.js"() {
    import_node_util2 = __toESM(require("node:util"), 1);
    init_base2();
    init_runner();
    constants6 = Runner.constants;
    EVENT_TEST_PASS4 = constants6.EVENT_TEST_PASS;
    EVENT_TEST_FAIL4 = constants6.EVENT_TEST_FAIL;
    EVENT_RUN_BEGIN2 = constants6.EVENT_RUN_BEGIN;
    EVENT_RUN_END2 = constants6.EVENT_RUN_END;
    EVENT_TEST_PENDING2 = constants6.EVENT_TEST_PENDING;
    EVENT_TEST_END = constants6.EVENT_TEST_END;
    sprintf = import_node_util2.default.format;
    TAP = class extends Base {
      static description = "TAP-compatible output";
      /**
       * Constructs a new `TAP` reporter instance.
       *
       * @public
       * @memberof Mocha.reporters
       * @extends Mocha.reporters.Base
       * @param {Runner} runner - Instance triggers reporter actions.
       * @param {Object} [options] - runner options
       */
      constructor(runner, options) {
        super(runner, options);
        var self2 = this;
        var n = 1;
        var tapVersion = "12";
        if (options && options.reporterOptions) {
          if (options.reporterOptions.tapVersion) {
            tapVersion = options.reporterOptions.tapVersion.toString();
          }
        }
        this._producer = createProducer(tapVersion);
        runner.once(EVENT_RUN_BEGIN2, function() {
          self2._producer.writeVersion();
        });
        runner.on(EVENT_TEST_END, function() {
          ++n;
        });
        runner.on(EVENT_TEST_PENDING2, function(test) {
          self2._producer.writePending(n, test);
        });
        runner.on(EVENT_TEST_PASS4, function(test) {
          self2._producer.writePass(n, test);
        });
        runner.on(EVENT_TEST_FAIL4, function(test, err) {
          self2._producer.writeFail(n, test, err);
        });
        runner.once(EVENT_RUN_END2, function() {
          self2._producer.writeEpilogue(runner.stats);
        });
      }
    };
    TAPProducer = class {
      /**
       * Writes the TAP version to reporter output stream.
       *
       * @abstract
       */
      writeVersion() {
      }
      /**
       * Writes the plan to reporter output stream.
       *
       * @abstract
       * @param {number} ntests - Number of tests that are planned to run.
       */
      writePlan(ntests) {
        println("%d..%d", 1, ntests);
      }
      /**
       * Writes that test passed to reporter output stream.
       *
       * @abstract
       * @param {number} n - Index of test that passed.
       * @param {Test} test - Instance containing test information.
       */
      writePass(n, test) {
        println("ok %d %s", n, title(test));
      }
      /**
       * Writes that test was skipped to reporter output stream.
       *
       * @abstract
       * @param {number} n - Index of test that was skipped.
       * @param {Test} test - Instance containing test information.
       */
      writePending(n, test) {
        println("ok %d %s # SKIP -", n, title(test));
      }
      /**
       * Writes that test failed to reporter output stream.
       *
       * @abstract
       * @param {number} n - Index of test that failed.
       * @param {Test} test - Instance containing test information.
       */
      writeFail(n, test) {
        println("not ok %d %s", n, title(test));
      }
      /**
       * Writes the summary epilogue to reporter output stream.
       *
       * @abstract
       * @param {Object} stats - Object containing run statistics.
       */
      writeEpilogue(stats) {
        println("# tests " + (stats.passes + stats.failures));
        println("# pass " + stats.passes);
        println("# fail " + stats.failures);
        this.writePlan(stats.passes + stats.failures + stats.pending);
      }
    };
    TAP12Producer = class extends TAPProducer {
      /**
       * Writes that test failed to reporter output stream, with error formatting.
       * @override
       */
      writeFail(n, test, err) {
        super.writeFail(n, test, err);
        if (err.message) {
          println(err.message.replace(/^/gm, "  "));
        }
        if (err.stack) {
          println(err.stack.replace(/^/gm, "  "));
        }
      }
    };
    TAP13Producer = class extends TAPProducer {
      /**
       * Writes the TAP version to reporter output stream.
       * @override
       */
      writeVersion() {
        println("TAP version 13");
      }
      /**
       * Writes that test failed to reporter output stream, with error formatting.
       * @override
       */
      writeFail(n, test, err) {
        super.writeFail(n, test, err);
        var emitYamlBlock = err.message != null || err.stack != null;
        if (emitYamlBlock) {
          println(indent(1) + "---");
          if (err.message) {
            println(indent(2) + "message: |-");
            println(err.message.replace(/^/gm, indent(3)));
          }
          if (err.stack) {
            println(indent(2) + "stack: |-");
            println(err.stack.replace(/^/gm, indent(3)));
          }
          println(indent(1) + "...");
        }
      }
    };
  }
});

// node_modules/mocha/lib/reporters/json.js
var json_exports = {};
__export(json_exports, {
  JSONReporter: () => JSONReporter
});
function clean(test) {
  var err = test.err || {};
  if (err instanceof Error) {
    err = errorJSON(err);
  }
  return {
    title: test.title,
    fullTitle: test.fullTitle(),
    file: test.file,
    duration: test.duration,
    currentRetry: test.currentRetry(),
    speed: test.speed,
    err: cleanCycles(err)
  };
}
function cleanCycles(obj) {
  var cache = [];
  return JSON.parse(
    JSON.stringify(obj, function(key, value) {
      if (typeof value === "object" && value !== null) {
        if (cache.indexOf(value) !== -1) {
          return "" + value;
        }
        cache.push(value);
      }
      return value;
    })
  );
}
function errorJSON(err) {
  var res = {};
  Object.getOwnPropertyNames(err).forEach(function(key) {
    res[key] = err[key];
  }, err);
  return res;
}
var import_node_fs, import_node_path, import_utils8, createUnsupportedError2, constants7, EVENT_TEST_PASS5, EVENT_TEST_PENDING3, EVENT_TEST_FAIL5, EVENT_TEST_END2, EVENT_RUN_END3, JSONReporter;
var init_json = __esm({
  "node_modules/mocha/lib/reporters/json.js"() {
    init_base2();
    import_node_fs = __toESM(require("node:fs"), 1);
    import_node_path = __toESM(require("node:path"), 1);
    init_errors();
    import_utils8 = __toESM(require_utils(), 1);
    init_runner();
    createUnsupportedError2 = createUnsupportedError;
    constants7 = Runner.constants;
    EVENT_TEST_PASS5 = constants7.EVENT_TEST_PASS;
    EVENT_TEST_PENDING3 = constants7.EVENT_TEST_PENDING;
    EVENT_TEST_FAIL5 = constants7.EVENT_TEST_FAIL;
    EVENT_TEST_END2 = constants7.EVENT_TEST_END;
    EVENT_RUN_END3 = constants7.EVENT_RUN_END;
    JSONReporter = class extends Base {
      static description = "single JSON object";
      /**
       * Constructs a new `JSON` reporter instance.
       *
       * @public
       * @memberof Mocha.reporters
       * @extends Mocha.reporters.Base
       * @param {Runner} runner - Instance triggers reporter actions.
       * @param {Object} [options] - runner options
       */
      constructor(runner, options = {}) {
        super(runner, options);
        var self2 = this;
        var tests = [];
        var pending = [];
        var failures = [];
        var passes = [];
        var output;
        if (options.reporterOption && options.reporterOption.output) {
          if (import_utils8.default.isBrowser()) {
            throw createUnsupportedError2("file output not supported in browser");
          }
          output = options.reporterOption.output;
        }
        runner.on(EVENT_TEST_END2, function(test) {
          tests.push(test);
        });
        runner.on(EVENT_TEST_PASS5, function(test) {
          passes.push(test);
        });
        runner.on(EVENT_TEST_FAIL5, function(test) {
          failures.push(test);
        });
        runner.on(EVENT_TEST_PENDING3, function(test) {
          pending.push(test);
        });
        runner.once(EVENT_RUN_END3, function() {
          var obj = {
            stats: self2.stats,
            tests: tests.map(clean),
            pending: pending.map(clean),
            failures: failures.map(clean),
            passes: passes.map(clean)
          };
          runner.testResults = obj;
          var json = JSON.stringify(obj, null, 2);
          if (output) {
            try {
              import_node_fs.default.mkdirSync(import_node_path.default.dirname(output), { recursive: true });
              import_node_fs.default.writeFileSync(output, json);
            } catch (err) {
              console.error(
                `${Base.symbols.err} [mocha] writing output to "${output}" failed: ${err.message}
`
              );
              process.stdout.write(json);
            }
          } else {
            process.stdout.write(json);
          }
        });
      }
    };
  }
});

// node_modules/mocha/lib/reporters/html.js
var html_exports = {};
__export(html_exports, {
  HTML: () => HTML
});
function makeUrl(s) {
  var search = window.location.search;
  if (search) {
    search = search.replace(/[?&](?:f?grep|invert)=[^&\s]*/g, "").replace(/^&/, "?");
  }
  return window.location.pathname + (search ? search + "&" : "?") + "grep=" + encodeURIComponent(s);
}
function error(msg) {
  document.body.appendChild(fragment('<div id="mocha-error">%s</div>', msg));
}
function fragment(html) {
  var args = arguments;
  var div = document.createElement("div");
  var i = 1;
  div.innerHTML = html.replace(/%([se])/g, function(_, type2) {
    switch (type2) {
      case "s":
        return String(args[i++]);
      case "e":
        return escape(args[i++]);
    }
  });
  return div.firstChild;
}
function hideSuitesWithout(classname) {
  var suites = document.getElementsByClassName("suite");
  for (var i = 0; i < suites.length; i++) {
    var els = suites[i].getElementsByClassName(classname);
    if (!els.length) {
      suites[i].className += " hidden";
    }
  }
}
function unhide() {
  var els = document.getElementsByClassName("suite hidden");
  while (els.length > 0) {
    els[0].className = els[0].className.replace("suite hidden", "suite");
  }
}
function text(el, contents) {
  if (el.textContent) {
    el.textContent = contents;
  } else {
    el.innerText = contents;
  }
}
function on(el, event, fn) {
  if (el.addEventListener) {
    el.addEventListener(event, fn, false);
  } else {
    el.attachEvent("on" + event, fn);
  }
}
var import_utils9, constants8, EVENT_TEST_PASS6, EVENT_TEST_FAIL6, EVENT_SUITE_BEGIN2, EVENT_SUITE_END2, EVENT_TEST_PENDING4, escape, Date3, statsTemplate, playIcon, HTML;
var init_html = __esm({
  "node_modules/mocha/lib/reporters/html.js"() {
    init_base2();
    import_utils9 = __toESM(require_utils(), 1);
    init_regexp();
    init_runner();
    constants8 = Runner.constants;
    EVENT_TEST_PASS6 = constants8.EVENT_TEST_PASS;
    EVENT_TEST_FAIL6 = constants8.EVENT_TEST_FAIL;
    EVENT_SUITE_BEGIN2 = constants8.EVENT_SUITE_BEGIN;
    EVENT_SUITE_END2 = constants8.EVENT_SUITE_END;
    EVENT_TEST_PENDING4 = constants8.EVENT_TEST_PENDING;
    escape = import_utils9.default.escape;
    Date3 = global.Date;
    statsTemplate = '<ul id="mocha-stats"><li class="result"></li><li class="progress-contain"><progress class="progress-element" max="100" value="0"></progress><svg class="progress-ring"><circle class="ring-flatlight" stroke-dasharray="100%,0%"/><circle class="ring-highlight" stroke-dasharray="0%,100%"/></svg><div class="progress-text">0%</div></li><li class="passes"><a href="javascript:void(0);">passes:</a> <em>0</em></li><li class="failures"><a href="javascript:void(0);">failures:</a> <em>0</em></li><li class="duration">duration: <em>0</em>s</li></ul>';
    playIcon = "&#x2023;";
    HTML = class extends Base {
      static browserOnly = true;
      /**
       * Constructs a new `HTML` reporter instance.
       *
       * @public
       * @memberof Mocha.reporters
       * @extends Mocha.reporters.Base
       * @param {Runner} runner - Instance triggers reporter actions.
       * @param {Object} [options] - runner options
       */
      constructor(runner, options) {
        super(runner, options);
        var self2 = this;
        var stats = this.stats;
        var stat = fragment(statsTemplate);
        var items = stat.getElementsByTagName("li");
        const resultIndex = 0;
        const progressIndex = 1;
        const passesIndex = 2;
        const failuresIndex = 3;
        const durationIndex = 4;
        var resultIndicator = items[resultIndex];
        const passesStat = items[passesIndex];
        const passesCount = passesStat.getElementsByTagName("em")[0];
        const passesLink = passesStat.getElementsByTagName("a")[0];
        const failuresStat = items[failuresIndex];
        const failuresCount = failuresStat.getElementsByTagName("em")[0];
        const failuresLink = failuresStat.getElementsByTagName("a")[0];
        var duration = items[durationIndex].getElementsByTagName("em")[0];
        var report = fragment('<ul id="mocha-report"></ul>');
        var stack = [report];
        var progressText = items[progressIndex].getElementsByTagName("div")[0];
        var progressBar = items[progressIndex].getElementsByTagName("progress")[0];
        var progressRing = [
          items[progressIndex].getElementsByClassName("ring-flatlight")[0],
          items[progressIndex].getElementsByClassName("ring-highlight")[0]
        ];
        var root = document.getElementById("mocha");
        if (!root) {
          return error("#mocha div missing, add it to your document");
        }
        on(passesLink, "click", function(evt) {
          evt.preventDefault();
          unhide();
          var name = /pass/.test(report.className) ? "" : " pass";
          report.className = report.className.replace(/fail|pass/g, "") + name;
          if (report.className.trim()) {
            hideSuitesWithout("test pass");
          }
        });
        on(failuresLink, "click", function(evt) {
          evt.preventDefault();
          unhide();
          var name = /fail/.test(report.className) ? "" : " fail";
          report.className = report.className.replace(/fail|pass/g, "") + name;
          if (report.className.trim()) {
            hideSuitesWithout("test fail");
          }
        });
        root.appendChild(stat);
        root.appendChild(report);
        runner.on(EVENT_SUITE_BEGIN2, function(suite) {
          if (suite.root) {
            return;
          }
          var url = self2.suiteURL(suite);
          var el = fragment(
            '<li class="suite"><h1><a href="%s">%s</a></h1></li>',
            url,
            escape(suite.title)
          );
          stack[0].appendChild(el);
          stack.unshift(document.createElement("ul"));
          el.appendChild(stack[0]);
        });
        runner.on(EVENT_SUITE_END2, function(suite) {
          if (suite.root) {
            if (stats.failures === 0) {
              text(resultIndicator, "\u2713");
              stat.className += " pass";
            }
            updateStats();
            return;
          }
          stack.shift();
        });
        runner.on(EVENT_TEST_PASS6, function(test) {
          var url = self2.testURL(test);
          var markup = '<li class="test pass %e"><h2>%e<span class="duration">%ems</span> <a href="%s" class="replay">' + playIcon + "</a></h2></li>";
          var el = fragment(markup, test.speed, test.title, test.duration, url);
          self2.addCodeToggle(el, test.body);
          appendToStack(el);
          updateStats();
        });
        runner.on(EVENT_TEST_FAIL6, function(test) {
          text(resultIndicator, "\u2716");
          stat.className += " fail";
          var el = fragment(
            '<li class="test fail"><h2>%e <a href="%e" class="replay">' + playIcon + "</a></h2></li>",
            test.title,
            self2.testURL(test)
          );
          var stackString;
          var message = test.err.toString();
          if (message === "[object Error]") {
            message = test.err.message;
          }
          if (test.err.stack) {
            var indexOfMessage = test.err.stack.indexOf(test.err.message);
            if (indexOfMessage === -1) {
              stackString = test.err.stack;
            } else {
              stackString = test.err.stack.slice(
                test.err.message.length + indexOfMessage
              );
            }
          } else if (test.err.sourceURL && test.err.line !== void 0) {
            stackString = "\n(" + test.err.sourceURL + ":" + test.err.line + ")";
          }
          stackString = stackString || "";
          if (test.err.htmlMessage && stackString) {
            el.appendChild(
              fragment(
                '<div class="html-error">%s\n<pre class="error">%e</pre></div>',
                test.err.htmlMessage,
                stackString
              )
            );
          } else if (test.err.htmlMessage) {
            el.appendChild(
              fragment('<div class="html-error">%s</div>', test.err.htmlMessage)
            );
          } else {
            el.appendChild(
              fragment('<pre class="error">%e%e</pre>', message, stackString)
            );
          }
          self2.addCodeToggle(el, test.body);
          appendToStack(el);
          updateStats();
        });
        runner.on(EVENT_TEST_PENDING4, function(test) {
          var el = fragment(
            '<li class="test pass pending"><h2>%e</h2></li>',
            test.title
          );
          appendToStack(el);
          updateStats();
        });
        function appendToStack(el) {
          if (stack[0]) {
            stack[0].appendChild(el);
          }
        }
        function updateStats() {
          var percent = stats.tests / runner.total * 100 | 0;
          progressBar.value = percent;
          if (progressText) {
            var decimalPlaces = Math.ceil(Math.log10(runner.total / 100));
            text(
              progressText,
              percent.toFixed(Math.min(Math.max(decimalPlaces, 0), 100)) + "%"
            );
          }
          if (progressRing) {
            var radius = parseFloat(
              getComputedStyle(progressRing[0]).getPropertyValue("r")
            );
            var wholeArc = Math.PI * 2 * radius;
            var highlightArc = percent * (wholeArc / 100);
            progressRing[0].style["stroke-dasharray"] = `0,${highlightArc}px,${wholeArc}px`;
            progressRing[1].style["stroke-dasharray"] = `${highlightArc}px,${wholeArc}px`;
          }
          var ms2 = new Date3() - stats.start;
          text(passesCount, stats.passes);
          text(failuresCount, stats.failures);
          text(duration, (ms2 / 1e3).toFixed(2));
        }
      }
      /**
       * Provide suite URL.
       *
       * @param {Object} [suite]
       */
      suiteURL(suite) {
        return makeUrl("^" + escapeRegExp(suite.fullTitle()) + " ");
      }
      /**
       * Provide test URL.
       *
       * @param {Object} [test]
       */
      testURL(test) {
        return makeUrl("^" + escapeRegExp(test.fullTitle()) + "$");
      }
      /**
       * Adds code toggle functionality for the provided test's list element.
       *
       * @param {HTMLLIElement} el
       * @param {string} contents
       */
      addCodeToggle(el, contents) {
        var h2 = el.getElementsByTagName("h2")[0];
        on(h2, "click", function() {
          pre.style.display = pre.style.display === "none" ? "block" : "none";
        });
        var pre = fragment("<pre><code>%e</code></pre>", import_utils9.default.clean(contents));
        el.appendChild(pre);
        pre.style.display = "none";
      }
    };
  }
});

// node_modules/mocha/lib/reporters/list.js
var list_exports = {};
__export(list_exports, {
  List: () => List
});
var constants9, EVENT_RUN_BEGIN3, EVENT_RUN_END4, EVENT_TEST_BEGIN, EVENT_TEST_FAIL7, EVENT_TEST_PASS7, EVENT_TEST_PENDING5, color, cursor, List;
var init_list = __esm({
  "node_modules/mocha/lib/reporters/list.js"() {
    init_base2();
    init_runner();
    ({ constants: constants9 } = Runner);
    EVENT_RUN_BEGIN3 = constants9.EVENT_RUN_BEGIN;
    EVENT_RUN_END4 = constants9.EVENT_RUN_END;
    EVENT_TEST_BEGIN = constants9.EVENT_TEST_BEGIN;
    EVENT_TEST_FAIL7 = constants9.EVENT_TEST_FAIL;
    EVENT_TEST_PASS7 = constants9.EVENT_TEST_PASS;
    EVENT_TEST_PENDING5 = constants9.EVENT_TEST_PENDING;
    color = Base.color;
    cursor = Base.cursor;
    List = class extends Base {
      static description = 'like "spec" reporter but flat';
      /**
       * Constructs a new `List` reporter instance.
       *
       * @public
       * @memberof Mocha.reporters
       * @extends Mocha.reporters.Base
       * @param {Runner} runner - Instance triggers reporter actions.
       * @param {Object} [options] - runner options
       */
      constructor(runner, options) {
        super(runner, options);
        var n = 0;
        runner.on(EVENT_RUN_BEGIN3, function() {
          Base.consoleLog();
        });
        runner.on(EVENT_TEST_BEGIN, function(test) {
          process.stdout.write(color("pass", "    " + test.fullTitle() + ": "));
        });
        runner.on(EVENT_TEST_PENDING5, function(test) {
          var fmt = color("checkmark", "  -") + color("pending", " %s");
          Base.consoleLog(fmt, test.fullTitle());
        });
        runner.on(EVENT_TEST_PASS7, function(test) {
          var fmt = color("checkmark", "  " + Base.symbols.ok) + color("pass", " %s: ") + color(test.speed, "%dms");
          cursor.CR();
          Base.consoleLog(fmt, test.fullTitle(), test.duration);
        });
        runner.on(EVENT_TEST_FAIL7, function(test) {
          cursor.CR();
          Base.consoleLog(color("fail", "  %d) %s"), ++n, test.fullTitle());
        });
        runner.once(EVENT_RUN_END4, (...args) => this.epilogue(...args));
      }
    };
  }
});

// node_modules/mocha/lib/reporters/min.js
var min_exports = {};
__export(min_exports, {
  Min: () => Min
});
var constants10, EVENT_RUN_END5, EVENT_RUN_BEGIN4, Min;
var init_min = __esm({
  "node_modules/mocha/lib/reporters/min.js"() {
    init_base2();
    init_runner();
    ({ constants: constants10 } = Runner);
    EVENT_RUN_END5 = constants10.EVENT_RUN_END;
    EVENT_RUN_BEGIN4 = constants10.EVENT_RUN_BEGIN;
    Min = class extends Base {
      static description = "essentially just a summary";
      /**
       * Constructs a new `Min` reporter instance.
       *
       * @description
       * This minimal test reporter is best used with '--watch'.
       *
       * @public
       * @memberof Mocha.reporters
       * @extends Mocha.reporters.Base
       * @param {Runner} runner - Instance triggers reporter actions.
       * @param {Object} [options] - runner options
       */
      constructor(runner, options) {
        super(runner, options);
        runner.on(EVENT_RUN_BEGIN4, function() {
          process.stdout.write("\x1B[2J");
          process.stdout.write("\x1B[1;3H");
        });
        runner.once(EVENT_RUN_END5, (...args) => this.epilogue(...args));
      }
    };
  }
});

// node_modules/mocha/lib/reporters/spec.js
var spec_exports = {};
__export(spec_exports, {
  Spec: () => Spec
});
var constants11, EVENT_RUN_BEGIN5, EVENT_RUN_END6, EVENT_SUITE_BEGIN3, EVENT_SUITE_END3, EVENT_TEST_FAIL8, EVENT_TEST_PASS8, EVENT_TEST_PENDING6, color2, Spec;
var init_spec = __esm({
  "node_modules/mocha/lib/reporters/spec.js"() {
    init_base2();
    init_runner();
    constants11 = Runner.constants;
    EVENT_RUN_BEGIN5 = constants11.EVENT_RUN_BEGIN;
    EVENT_RUN_END6 = constants11.EVENT_RUN_END;
    EVENT_SUITE_BEGIN3 = constants11.EVENT_SUITE_BEGIN;
    EVENT_SUITE_END3 = constants11.EVENT_SUITE_END;
    EVENT_TEST_FAIL8 = constants11.EVENT_TEST_FAIL;
    EVENT_TEST_PASS8 = constants11.EVENT_TEST_PASS;
    EVENT_TEST_PENDING6 = constants11.EVENT_TEST_PENDING;
    color2 = Base.color;
    Spec = class extends Base {
      static description = "hierarchical & verbose [default]";
      /**
       * Constructs a new `Spec` reporter instance.
       *
       * @public
       * @memberof Mocha.reporters
       * @extends Mocha.reporters.Base
       * @param {Runner} runner - Instance triggers reporter actions.
       * @param {Object} [options] - runner options
       */
      constructor(runner, options) {
        super(runner, options);
        var indents = 0;
        var n = 0;
        function indent2() {
          return Array(indents).join("  ");
        }
        runner.on(EVENT_RUN_BEGIN5, function() {
          Base.consoleLog();
        });
        runner.on(EVENT_SUITE_BEGIN3, function(suite) {
          ++indents;
          Base.consoleLog(color2("suite", "%s%s"), indent2(), suite.title);
        });
        runner.on(EVENT_SUITE_END3, function() {
          --indents;
          if (indents === 1) {
            Base.consoleLog();
          }
        });
        runner.on(EVENT_TEST_PENDING6, function(test) {
          var fmt = indent2() + color2("pending", "  - %s");
          Base.consoleLog(fmt, test.title);
        });
        runner.on(EVENT_TEST_PASS8, function(test) {
          var fmt;
          if (test.speed === "fast") {
            fmt = indent2() + color2("checkmark", "  " + Base.symbols.ok) + color2("pass", " %s");
            Base.consoleLog(fmt, test.title);
          } else {
            fmt = indent2() + color2("checkmark", "  " + Base.symbols.ok) + color2("pass", " %s") + color2(test.speed, " (%dms)");
            Base.consoleLog(fmt, test.title, test.duration);
          }
        });
        runner.on(EVENT_TEST_FAIL8, function(test) {
          Base.consoleLog(indent2() + color2("fail", "  %d) %s"), ++n, test.title);
        });
        runner.once(EVENT_RUN_END6, (...args) => this.epilogue(...args));
      }
    };
  }
});

// node_modules/mocha/lib/reporters/nyan.js
var nyan_exports = {};
__export(nyan_exports, {
  NyanCat: () => NyanCat
});
var constants12, EVENT_RUN_BEGIN6, EVENT_TEST_PENDING7, EVENT_TEST_PASS9, EVENT_RUN_END7, EVENT_TEST_FAIL9, NyanCat;
var init_nyan = __esm({
  "node_modules/mocha/lib/reporters/nyan.js"() {
    init_base2();
    init_runner();
    constants12 = Runner.constants;
    EVENT_RUN_BEGIN6 = constants12.EVENT_RUN_BEGIN;
    EVENT_TEST_PENDING7 = constants12.EVENT_TEST_PENDING;
    EVENT_TEST_PASS9 = constants12.EVENT_TEST_PASS;
    EVENT_RUN_END7 = constants12.EVENT_RUN_END;
    EVENT_TEST_FAIL9 = constants12.EVENT_TEST_FAIL;
    NyanCat = class extends Base {
      static description = '"nyan cat"';
      /**
       * Constructs a new `Nyan` reporter instance.
       *
       * @public
       * @memberof Mocha.reporters
       * @extends Mocha.reporters.Base
       * @param {Runner} runner - Instance triggers reporter actions.
       * @param {Object} [options] - runner options
       */
      constructor(runner, options) {
        super(runner, options);
        var self2 = this;
        var width = Base.window.width * 0.75 | 0;
        var nyanCatWidth = this.nyanCatWidth = 11;
        this.colorIndex = 0;
        this.numberOfLines = 4;
        this.rainbowColors = self2.generateColors();
        this.scoreboardWidth = 5;
        this.tick = 0;
        this.trajectories = [[], [], [], []];
        this.trajectoryWidthMax = width - nyanCatWidth;
        runner.on(EVENT_RUN_BEGIN6, function() {
          Base.cursor.hide();
          self2.draw();
        });
        runner.on(EVENT_TEST_PENDING7, function() {
          self2.draw();
        });
        runner.on(EVENT_TEST_PASS9, function() {
          self2.draw();
        });
        runner.on(EVENT_TEST_FAIL9, function() {
          self2.draw();
        });
        runner.once(EVENT_RUN_END7, function() {
          Base.cursor.show();
          for (var i = 0; i < self2.numberOfLines; i++) {
            process.stdout.write("\n");
          }
          self2.epilogue();
        });
      }
      /**
       * Draw the nyan cat
       *
       * @private
       */
      draw() {
        this.appendRainbow();
        this.drawScoreboard();
        this.drawRainbow();
        this.drawNyanCat();
        this.tick = !this.tick;
      }
      /**
       * Draw the "scoreboard" showing the number
       * of passes, failures and pending tests.
       *
       * @private
       */
      drawScoreboard() {
        var stats = this.stats;
        function draw(type2, n) {
          process.stdout.write(" ");
          process.stdout.write(Base.color(type2, n));
          process.stdout.write("\n");
        }
        draw("green", stats.passes);
        draw("fail", stats.failures);
        draw("pending", stats.pending);
        process.stdout.write("\n");
        this.cursorUp(this.numberOfLines);
      }
      /**
       * Append the rainbow.
       *
       * @private
       */
      appendRainbow() {
        var segment2 = this.tick ? "_" : "-";
        var rainbowified = this.rainbowify(segment2);
        for (var index = 0; index < this.numberOfLines; index++) {
          var trajectory = this.trajectories[index];
          if (trajectory.length >= this.trajectoryWidthMax) {
            trajectory.shift();
          }
          trajectory.push(rainbowified);
        }
      }
      /**
       * Draw the rainbow.
       *
       * @private
       */
      drawRainbow() {
        var self2 = this;
        this.trajectories.forEach(function(line) {
          process.stdout.write("\x1B[" + self2.scoreboardWidth + "C");
          process.stdout.write(line.join(""));
          process.stdout.write("\n");
        });
        this.cursorUp(this.numberOfLines);
      }
      /**
       * Draw the nyan cat
       *
       * @private
       */
      drawNyanCat() {
        var self2 = this;
        var startWidth = this.scoreboardWidth + this.trajectories[0].length;
        var dist = "\x1B[" + startWidth + "C";
        var padding;
        process.stdout.write(dist);
        process.stdout.write("_,------,");
        process.stdout.write("\n");
        process.stdout.write(dist);
        padding = self2.tick ? "  " : "   ";
        process.stdout.write("_|" + padding + "/\\_/\\ ");
        process.stdout.write("\n");
        process.stdout.write(dist);
        padding = self2.tick ? "_" : "__";
        var tail = self2.tick ? "~" : "^";
        process.stdout.write(tail + "|" + padding + this.face() + " ");
        process.stdout.write("\n");
        process.stdout.write(dist);
        padding = self2.tick ? " " : "  ";
        process.stdout.write(padding + '""  "" ');
        process.stdout.write("\n");
        this.cursorUp(this.numberOfLines);
      }
      /**
       * Draw nyan cat face.
       *
       * @private
       * @return {string}
       */
      face() {
        var stats = this.stats;
        if (stats.failures) {
          return "( x .x)";
        } else if (stats.pending) {
          return "( o .o)";
        } else if (stats.passes) {
          return "( ^ .^)";
        }
        return "( - .-)";
      }
      /**
       * Move cursor up `n`.
       *
       * @private
       * @param {number} n
       */
      cursorUp(n) {
        process.stdout.write("\x1B[" + n + "A");
      }
      /**
       * Move cursor down `n`.
       *
       * @private
       * @param {number} n
       */
      cursorDown(n) {
        process.stdout.write("\x1B[" + n + "B");
      }
      /**
       * Generate rainbow colors.
       *
       * @private
       * @return {Array}
       */
      generateColors() {
        var colors = [];
        for (var i = 0; i < 6 * 7; i++) {
          var pi3 = Math.floor(Math.PI / 3);
          var n = i * (1 / 6);
          var r = Math.floor(3 * Math.sin(n) + 3);
          var g = Math.floor(3 * Math.sin(n + 2 * pi3) + 3);
          var b = Math.floor(3 * Math.sin(n + 4 * pi3) + 3);
          colors.push(36 * r + 6 * g + b + 16);
        }
        return colors;
      }
      /**
       * Apply rainbow to the given `str`.
       *
       * @private
       * @param {string} str
       * @return {string}
       */
      rainbowify(str) {
        if (!Base.useColors) {
          return str;
        }
        var color5 = this.rainbowColors[this.colorIndex % this.rainbowColors.length];
        this.colorIndex += 1;
        return "\x1B[38;5;" + color5 + "m" + str + "\x1B[0m";
      }
    };
  }
});

// node_modules/mocha/lib/reporters/xunit.js
var xunit_exports = {};
__export(xunit_exports, {
  XUnit: () => XUnit
});
function tag(name, attrs, close, content) {
  var end = close ? "/>" : ">";
  var pairs = [];
  var tag2;
  for (var key in attrs) {
    if (Object.prototype.hasOwnProperty.call(attrs, key)) {
      pairs.push(key + '="' + escapeXml(attrs[key]) + '"');
    }
  }
  tag2 = "<" + name + (pairs.length ? " " + pairs.join(" ") : "") + end;
  if (content) {
    tag2 += content + "</" + name + end;
  }
  return tag2;
}
function escapeXml(value) {
  return escape2(
    stripInvalidXmlCharacters(String(value).replace(ANSI_ESCAPE_SEQUENCE, ""))
  );
}
function stripInvalidXmlCharacters(value) {
  var result = "";
  for (var i = 0; i < value.length; i += 1) {
    var charCode = value.charCodeAt(i);
    if (charCode === 9 || charCode === 10 || charCode === 13 || charCode >= 32) {
      result += value[i];
    }
  }
  return result;
}
function testFilePath(filepath, options) {
  if (options && options.reporterOptions && options.reporterOptions.showRelativePaths) {
    return import_node_path2.default.relative(process.cwd(), filepath);
  }
  return filepath;
}
var import_utils10, import_node_fs2, import_node_path2, createUnsupportedError3, constants13, EVENT_TEST_PASS10, EVENT_TEST_FAIL10, EVENT_RUN_END8, EVENT_TEST_PENDING8, STATE_FAILED2, escape2, ANSI_ESCAPE_SEQUENCE, Date4, XUnit;
var init_xunit = __esm({
  "node_modules/mocha/lib/reporters/xunit.js"() {
    init_base2();
    import_utils10 = __toESM(require_utils(), 1);
    import_node_fs2 = __toESM(require("node:fs"), 1);
    import_node_path2 = __toESM(require("node:path"), 1);
    init_errors();
    init_runner();
    init_runnable();
    createUnsupportedError3 = createUnsupportedError;
    constants13 = Runner.constants;
    EVENT_TEST_PASS10 = constants13.EVENT_TEST_PASS;
    EVENT_TEST_FAIL10 = constants13.EVENT_TEST_FAIL;
    EVENT_RUN_END8 = constants13.EVENT_RUN_END;
    EVENT_TEST_PENDING8 = constants13.EVENT_TEST_PENDING;
    STATE_FAILED2 = Runnable.constants.STATE_FAILED;
    escape2 = import_utils10.default.escape;
    ANSI_ESCAPE_SEQUENCE = new RegExp(
      String.fromCharCode(27) + "\\[[0-?]*[ -/]*[@-~]",
      "g"
    );
    Date4 = global.Date;
    XUnit = class extends Base {
      static description = "XUnit-compatible XML output";
      /**
       * Constructs a new `XUnit` reporter instance.
       *
       * @public
       * @memberof Mocha.reporters
       * @extends Mocha.reporters.Base
       * @param {Runner} runner - Instance triggers reporter actions.
       * @param {Object} [options] - runner options
       */
      constructor(runner, options) {
        super(runner, options);
        var stats = this.stats;
        var tests = [];
        var self2 = this;
        var suiteName;
        var DEFAULT_SUITE_NAME = "Mocha Tests";
        if (options && options.reporterOptions) {
          if (options.reporterOptions.output) {
            if (!import_node_fs2.default.createWriteStream) {
              throw createUnsupportedError3("file output not supported in browser");
            }
            import_node_fs2.default.mkdirSync(import_node_path2.default.dirname(options.reporterOptions.output), {
              recursive: true
            });
            self2.fileStream = import_node_fs2.default.createWriteStream(options.reporterOptions.output);
          }
          suiteName = options.reporterOptions.suiteName;
        }
        suiteName = suiteName || DEFAULT_SUITE_NAME;
        runner.on(EVENT_TEST_PENDING8, function(test) {
          tests.push(test);
        });
        runner.on(EVENT_TEST_PASS10, function(test) {
          tests.push(test);
        });
        runner.on(EVENT_TEST_FAIL10, function(test) {
          tests.push(test);
        });
        runner.once(EVENT_RUN_END8, function() {
          self2.write(
            tag(
              "testsuite",
              {
                name: suiteName,
                tests: stats.tests,
                failures: 0,
                errors: stats.failures,
                skipped: stats.tests - stats.failures - stats.passes,
                timestamp: new Date4().toUTCString(),
                time: stats.duration / 1e3 || 0
              },
              false
            )
          );
          tests.forEach(function(t) {
            self2.test(t, options);
          });
          self2.write("</testsuite>");
        });
      }
      /**
       * Override done to close the stream (if it's a file).
       *
       * @param failures
       * @param {Function} fn
       */
      done(failures, fn) {
        if (this.fileStream) {
          this.fileStream.end(function() {
            fn(failures);
          });
        } else {
          fn(failures);
        }
      }
      /**
       * Write out the given line.
       *
       * @param {string} line
       */
      write(line) {
        if (this.fileStream) {
          this.fileStream.write(line + "\n");
        } else if (typeof process === "object" && process.stdout) {
          process.stdout.write(line + "\n");
        } else {
          Base.consoleLog(line);
        }
      }
      /**
       * Output tag for the given `test.`
       *
       * @param {Test} test
       */
      test(test, options) {
        Base.useColors = false;
        var attrs = {
          classname: test.parent.fullTitle(),
          name: test.title,
          file: testFilePath(test.file, options),
          time: test.duration / 1e3 || 0
        };
        if (test.state === STATE_FAILED2) {
          var err = test.err;
          var diff = !Base.hideDiff && Base.showDiff(err) ? "\n" + Base.generateDiff(err.actual, err.expected) : "";
          this.write(
            tag(
              "testcase",
              attrs,
              false,
              tag(
                "failure",
                {},
                false,
                escapeXml(err.message) + escapeXml(diff) + "\n" + escapeXml(err.stack)
              )
            )
          );
        } else if (test.isPending()) {
          this.write(tag("testcase", attrs, false, tag("skipped", {}, true)));
        } else {
          this.write(tag("testcase", attrs, true));
        }
      }
    };
  }
});

// node_modules/mocha/lib/reporters/markdown.js
var markdown_exports = {};
__export(markdown_exports, {
  Markdown: () => Markdown
});
var import_utils11, constants14, EVENT_RUN_END9, EVENT_SUITE_BEGIN4, EVENT_SUITE_END4, EVENT_TEST_PASS11, SUITE_PREFIX, Markdown;
var init_markdown = __esm({
  "node_modules/mocha/lib/reporters/markdown.js"() {
    init_base2();
    import_utils11 = __toESM(require_utils(), 1);
    init_runner();
    constants14 = Runner.constants;
    EVENT_RUN_END9 = constants14.EVENT_RUN_END;
    EVENT_SUITE_BEGIN4 = constants14.EVENT_SUITE_BEGIN;
    EVENT_SUITE_END4 = constants14.EVENT_SUITE_END;
    EVENT_TEST_PASS11 = constants14.EVENT_TEST_PASS;
    SUITE_PREFIX = "$";
    Markdown = class extends Base {
      static description = "GitHub Flavored Markdown";
      /**
       * Constructs a new `Markdown` reporter instance.
       *
       * @public
       * @memberof Mocha.reporters
       * @extends Mocha.reporters.Base
       * @param {Runner} runner - Instance triggers reporter actions.
       * @param {Object} [options] - runner options
       */
      constructor(runner, options) {
        super(runner, options);
        var level = 0;
        var buf = "";
        function title2(str) {
          return Array(level).join("#") + " " + str;
        }
        function mapTOC(suite, obj) {
          var ret = obj;
          var key = SUITE_PREFIX + suite.title;
          obj = obj[key] = obj[key] || { suite };
          suite.suites.forEach(function(suite2) {
            mapTOC(suite2, obj);
          });
          return ret;
        }
        function stringifyTOC(obj, level2) {
          ++level2;
          var buf2 = "";
          var link;
          for (var key in obj) {
            if (key === "suite") {
              continue;
            }
            if (key !== SUITE_PREFIX) {
              link = " - [" + key.substring(1) + "]";
              link += "(#" + import_utils11.default.slug(obj[key].suite.fullTitle()) + ")\n";
              buf2 += Array(level2).join("  ") + link;
            }
            buf2 += stringifyTOC(obj[key], level2);
          }
          return buf2;
        }
        function generateTOC(suite) {
          var obj = mapTOC(suite, {});
          return stringifyTOC(obj, 0);
        }
        generateTOC(runner.suite);
        runner.on(EVENT_SUITE_BEGIN4, function(suite) {
          ++level;
          var slug = import_utils11.default.slug(suite.fullTitle());
          buf += '<a name="' + slug + '"></a>\n';
          buf += title2(suite.title) + "\n";
        });
        runner.on(EVENT_SUITE_END4, function() {
          --level;
        });
        runner.on(EVENT_TEST_PASS11, function(test) {
          var code = import_utils11.default.clean(test.body);
          buf += test.title + ".\n";
          buf += "\n```js\n";
          buf += code + "\n";
          buf += "```\n\n";
        });
        runner.once(EVENT_RUN_END9, function() {
          process.stdout.write("# TOC\n");
          process.stdout.write(generateTOC(runner.suite));
          process.stdout.write(buf);
        });
      }
    };
  }
});

// node_modules/mocha/lib/reporters/progress.js
var progress_exports = {};
__export(progress_exports, {
  Progress: () => Progress
});
var constants15, EVENT_RUN_BEGIN7, EVENT_TEST_END3, EVENT_RUN_END10, color3, cursor2, Progress;
var init_progress = __esm({
  "node_modules/mocha/lib/reporters/progress.js"() {
    init_base2();
    init_runner();
    constants15 = Runner.constants;
    EVENT_RUN_BEGIN7 = constants15.EVENT_RUN_BEGIN;
    EVENT_TEST_END3 = constants15.EVENT_TEST_END;
    EVENT_RUN_END10 = constants15.EVENT_RUN_END;
    color3 = Base.color;
    cursor2 = Base.cursor;
    Base.colors.progress = 90;
    Progress = class extends Base {
      static description = "a progress bar";
      /**
       * Constructs a new `Progress` reporter instance.
       *
       * @public
       * @memberof Mocha.reporters
       * @extends Mocha.reporters.Base
       * @param {Runner} runner - Instance triggers reporter actions.
       * @param {Object} [options] - runner options
       */
      constructor(runner, options) {
        super(runner, options);
        var self2 = this;
        var width = Base.window.width * 0.5 | 0;
        var total = runner.total;
        var complete = 0;
        var lastN = -1;
        options = options || {};
        var reporterOptions = options.reporterOptions || {};
        options.open = reporterOptions.open || "[";
        options.complete = reporterOptions.complete || "\u25AC";
        options.incomplete = reporterOptions.incomplete || Base.symbols.dot;
        options.close = reporterOptions.close || "]";
        options.verbose = reporterOptions.verbose || false;
        runner.on(EVENT_RUN_BEGIN7, function() {
          process.stdout.write("\n");
          cursor2.hide();
        });
        runner.on(EVENT_TEST_END3, function() {
          complete++;
          var percent = complete / total;
          var n = width * percent | 0;
          var i = width - n;
          if (n === lastN && !options.verbose) {
            return;
          }
          lastN = n;
          cursor2.CR();
          process.stdout.write("\x1B[J");
          process.stdout.write(color3("progress", "  " + options.open));
          process.stdout.write(Array(n).join(options.complete));
          process.stdout.write(Array(i).join(options.incomplete));
          process.stdout.write(color3("progress", options.close));
          if (options.verbose) {
            process.stdout.write(
              color3("progress", " " + complete + " of " + total)
            );
          }
        });
        runner.once(EVENT_RUN_END10, function() {
          cursor2.show();
          process.stdout.write("\n");
          self2.epilogue();
        });
      }
    };
  }
});

// node_modules/mocha/lib/reporters/landing.js
var landing_exports = {};
__export(landing_exports, {
  Landing: () => Landing
});
var constants16, EVENT_RUN_BEGIN8, EVENT_RUN_END11, EVENT_TEST_END4, STATE_FAILED3, cursor3, color4, Landing;
var init_landing = __esm({
  "node_modules/mocha/lib/reporters/landing.js"() {
    init_base2();
    init_runner();
    init_runnable();
    constants16 = Runner.constants;
    EVENT_RUN_BEGIN8 = constants16.EVENT_RUN_BEGIN;
    EVENT_RUN_END11 = constants16.EVENT_RUN_END;
    EVENT_TEST_END4 = constants16.EVENT_TEST_END;
    STATE_FAILED3 = Runnable.constants.STATE_FAILED;
    cursor3 = Base.cursor;
    color4 = Base.color;
    Base.colors.plane = 0;
    Base.colors["plane crash"] = 31;
    Base.colors.runway = 90;
    Landing = class extends Base {
      static description = "Unicode landing strip";
      /**
       * Constructs a new `Landing` reporter instance.
       *
       * @public
       * @memberof Mocha.reporters
       * @extends Mocha.reporters.Base
       * @param {Runner} runner - Instance triggers reporter actions.
       * @param {Object} [options] - runner options
       */
      constructor(runner, options) {
        super(runner, options);
        var self2 = this;
        var width = Base.window.width * 0.75 | 0;
        var stream = process.stdout;
        var plane = color4("plane", "\u2708");
        var crashed = -1;
        var n = 0;
        var total = 0;
        function runway() {
          var buf = Array(width).join("-");
          return "  " + color4("runway", buf);
        }
        runner.on(EVENT_RUN_BEGIN8, function() {
          stream.write("\n\n\n  ");
          cursor3.hide();
        });
        runner.on(EVENT_TEST_END4, function(test) {
          var col = crashed === -1 ? width * ++n / ++total | 0 : crashed;
          if (test.state === STATE_FAILED3) {
            plane = color4("plane crash", "\u2708");
            crashed = col;
          }
          stream.write("\x1B[" + (width + 1) + "D\x1B[2A");
          stream.write(runway());
          stream.write("\n  ");
          stream.write(color4("runway", Array(col).join("\u22C5")));
          stream.write(plane);
          stream.write(color4("runway", Array(width - col).join("\u22C5") + "\n"));
          stream.write(runway());
          stream.write("\x1B[0m");
        });
        runner.once(EVENT_RUN_END11, function() {
          cursor3.show();
          process.stdout.write("\n");
          self2.epilogue();
        });
        process.once("SIGINT", function() {
          cursor3.show();
          process.nextTick(function() {
            process.kill(process.pid, "SIGINT");
          });
        });
      }
    };
  }
});

// node_modules/mocha/lib/reporters/json-stream.js
var json_stream_exports = {};
__export(json_stream_exports, {
  JSONStream: () => JSONStream
});
function writeEvent(event) {
  process.stdout.write(JSON.stringify(event) + "\n");
}
function clean2(test) {
  return {
    title: test.title,
    fullTitle: test.fullTitle(),
    file: test.file,
    duration: test.duration,
    currentRetry: test.currentRetry(),
    speed: test.speed
  };
}
var constants17, EVENT_TEST_PASS12, EVENT_TEST_FAIL11, EVENT_RUN_BEGIN9, EVENT_RUN_END12, JSONStream;
var init_json_stream = __esm({
  "node_modules/mocha/lib/reporters/json-stream.js"() {
    init_base2();
    init_runner();
    constants17 = Runner.constants;
    EVENT_TEST_PASS12 = constants17.EVENT_TEST_PASS;
    EVENT_TEST_FAIL11 = constants17.EVENT_TEST_FAIL;
    EVENT_RUN_BEGIN9 = constants17.EVENT_RUN_BEGIN;
    EVENT_RUN_END12 = constants17.EVENT_RUN_END;
    JSONStream = class extends Base {
      static description = "newline delimited JSON events";
      /**
       * Constructs a new `JSONStream` reporter instance.
       *
       * @public
       * @memberof Mocha.reporters
       * @extends Mocha.reporters.Base
       * @param {Runner} runner - Instance triggers reporter actions.
       * @param {Object} [options] - runner options
       */
      constructor(runner, options) {
        super(runner, options);
        var self2 = this;
        var total = runner.total;
        runner.once(EVENT_RUN_BEGIN9, function() {
          writeEvent(["start", { total }]);
        });
        runner.on(EVENT_TEST_PASS12, function(test) {
          writeEvent(["pass", clean2(test)]);
        });
        runner.on(EVENT_TEST_FAIL11, function(test, err) {
          test = clean2(test);
          test.err = err.message;
          test.stack = err.stack || null;
          writeEvent(["fail", test]);
        });
        runner.once(EVENT_RUN_END12, function() {
          writeEvent(["end", self2.stats]);
        });
      }
    };
  }
});

// node_modules/mocha/lib/reporters/github-actions.js
var github_actions_exports = {};
__export(github_actions_exports, {
  GithubActions: () => GithubActions
});
function extractLocation(stackTrace) {
  if (!stackTrace) {
    return {};
  }
  var matches = /^\s*at Context.*\(([^()]+):([0-9]+):([0-9]+)\)/gm.exec(stackTrace) || /^\s*at.*\(([^()]+):([0-9]+):([0-9]+)\)/gm.exec(stackTrace);
  if (matches === null) {
    return {};
  }
  return {
    file: matches[1],
    line: matches[2],
    col: matches[3]
  };
}
function escapeWorkflowValue(value) {
  return String(value).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeWorkflowProperty(value) {
  return String(value).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
}
var import_node_fs3, import_ms4, constants18, EVENT_TEST_FAIL12, EVENT_RUN_END13, GithubActions;
var init_github_actions = __esm({
  "node_modules/mocha/lib/reporters/github-actions.js"() {
    import_node_fs3 = __toESM(require("node:fs"), 1);
    import_ms4 = __toESM(require_ms(), 1);
    init_spec();
    init_runner();
    ({ constants: constants18 } = Runner);
    EVENT_TEST_FAIL12 = constants18.EVENT_TEST_FAIL;
    EVENT_RUN_END13 = constants18.EVENT_RUN_END;
    GithubActions = class extends Spec {
      static description = "like spec, with GitHub Actions error annotations and job summary";
      /**
       * Construct a new GithubActions reporter instance.
       *
       * @description
       * Extend the Spec reporter to add GitHub Actions error annotations and
       * Job Summary output when running in GitHub Actions CI.
       *
       * @public
       * @memberof Mocha.reporters
       * @extends Mocha.reporters.Spec
       * @param {Runner} runner - Instance triggers reporter actions.
       * @param {Object} [options] - runner options
       */
      constructor(runner, options) {
        super(runner, options);
        var ciFailures = [];
        runner.on(EVENT_TEST_FAIL12, function(test) {
          ciFailures.push(test);
        });
        runner.once(EVENT_RUN_END13, () => {
          if (ciFailures.length > 0) {
            process.stdout.write("::group::Mocha Annotations\n");
            for (var test of ciFailures) {
              var location2 = extractLocation(test.err && test.err.stack);
              var props = [];
              if (location2.file) {
                props.push("file=" + escapeWorkflowProperty(location2.file));
              }
              if (location2.line) {
                props.push("line=" + escapeWorkflowProperty(location2.line));
              }
              if (location2.col) {
                props.push("col=" + escapeWorkflowProperty(location2.col));
              }
              var message = test.err ? escapeWorkflowValue(test.err.message) : "";
              process.stdout.write(
                "::error " + props.join(",") + "::" + message + "\n"
              );
            }
            process.stdout.write("::endgroup::\n");
          }
          var summaryFile = process.env.GITHUB_STEP_SUMMARY;
          if (summaryFile) {
            var lines = [];
            lines.push(
              ":white_check_mark: " + (this.stats.passes || 0) + " passing (" + (0, import_ms4.default)(this.stats.duration) + ")"
            );
            if (this.stats.pending) {
              lines.push(":pause_button: " + this.stats.pending + " pending");
            }
            if (this.stats.failures) {
              lines.push(":x: " + this.stats.failures + " failing");
            }
            import_node_fs3.default.appendFileSync(summaryFile, lines.join("\n") + "\n");
          }
        });
      }
    };
  }
});

// node_modules/mocha/lib/reporters/index.cjs
var require_reporters = __commonJS({
  "node_modules/mocha/lib/reporters/index.cjs"(exports2) {
    "use strict";
    var { Base: Base2 } = (init_base2(), __toCommonJS(base_exports));
    exports2.Base = exports2.base = Base2;
    var { Dot: Dot2 } = (init_dot(), __toCommonJS(dot_exports));
    exports2.Dot = exports2.dot = Dot2;
    var { Doc: Doc2 } = (init_doc(), __toCommonJS(doc_exports));
    exports2.Doc = exports2.doc = Doc2;
    var { TAP: TAP2 } = (init_tap(), __toCommonJS(tap_exports));
    exports2.TAP = exports2.tap = TAP2;
    var { JSONReporter: JSONReporter2 } = (init_json(), __toCommonJS(json_exports));
    exports2.JSON = exports2.json = JSONReporter2;
    var { HTML: HTML2 } = (init_html(), __toCommonJS(html_exports));
    exports2.HTML = exports2.html = HTML2;
    var { List: List2 } = (init_list(), __toCommonJS(list_exports));
    exports2.List = exports2.list = List2;
    var { Min: Min2 } = (init_min(), __toCommonJS(min_exports));
    exports2.Min = exports2.min = Min2;
    var { Spec: Spec2 } = (init_spec(), __toCommonJS(spec_exports));
    exports2.Spec = exports2.spec = Spec2;
    var { NyanCat: NyanCat2 } = (init_nyan(), __toCommonJS(nyan_exports));
    exports2.Nyan = exports2.nyan = NyanCat2;
    var { XUnit: XUnit2 } = (init_xunit(), __toCommonJS(xunit_exports));
    exports2.XUnit = exports2.xunit = XUnit2;
    var { Markdown: Markdown2 } = (init_markdown(), __toCommonJS(markdown_exports));
    exports2.Markdown = exports2.markdown = Markdown2;
    var { Progress: Progress2 } = (init_progress(), __toCommonJS(progress_exports));
    exports2.Progress = exports2.progress = Progress2;
    var { Landing: Landing2 } = (init_landing(), __toCommonJS(landing_exports));
    exports2.Landing = exports2.landing = Landing2;
    var { JSONStream: JSONStream2 } = (init_json_stream(), __toCommonJS(json_stream_exports));
    exports2.JSONStream = exports2["json-stream"] = JSONStream2;
    var { GithubActions: GithubActions2 } = (init_github_actions(), __toCommonJS(github_actions_exports));
    exports2.GithubActions = exports2["github-actions"] = GithubActions2;
  }
});

// node_modules/mocha/lib/mocharc.json
var require_mocharc = __commonJS({
  "node_modules/mocha/lib/mocharc.json"(exports2, module2) {
    module2.exports = {
      diff: true,
      extension: ["js", "cjs", "mjs"],
      package: "./package.json",
      reporter: "spec",
      slow: 75,
      timeout: 2e3,
      ui: "bdd",
      "watch-ignore": ["node_modules", ".git"]
    };
  }
});

// node_modules/mocha/lib/nodejs/esm-utils.cjs
var require_esm_utils = __commonJS({
  "node_modules/mocha/lib/nodejs/esm-utils.cjs"(exports2) {
    var path4 = require("node:path");
    var url = require("node:url");
    var debug5 = require_src()("mocha:esm-utils");
    var { isMochaError: isMochaError2 } = (init_errors(), __toCommonJS(errors_exports));
    var forward = (x) => x;
    var formattedImport = async (file, esmDecorator = forward) => {
      if (path4.isAbsolute(file)) {
        try {
          return await exports2.doImport(esmDecorator(url.pathToFileURL(file)));
        } catch (err) {
          if (err instanceof SyntaxError && err.message && err.stack && !err.stack.includes(file)) {
            const newErrorWithFilename = new SyntaxError(err.message);
            newErrorWithFilename.stack = err.stack.replace(
              /^SyntaxError/,
              `SyntaxError[ @${file} ]`
            );
            throw newErrorWithFilename;
          }
          throw err;
        }
      }
      return exports2.doImport(esmDecorator(file));
    };
    exports2.doImport = async (file) => import(file);
    var tryImportAndRequire = async (file, esmDecorator) => {
      if (path4.extname(file) === ".mjs") {
        return formattedImport(file, esmDecorator);
      }
      try {
        return dealWithExports(await formattedImport(file, esmDecorator));
      } catch (err) {
        if (err.code === "ERR_MODULE_NOT_FOUND" || err.code === "ERR_UNKNOWN_FILE_EXTENSION" || err.code === "ERR_UNSUPPORTED_DIR_IMPORT") {
          try {
            return require(file);
          } catch (requireErr) {
            if (requireErr.code === "ERR_REQUIRE_ESM" || requireErr instanceof SyntaxError && requireErr.toString().includes("Cannot use import statement outside a module")) {
              throw err;
            } else {
              throw requireErr;
            }
          }
        } else {
          throw err;
        }
      }
    };
    var requireModule = async (file, esmDecorator) => {
      if (path4.extname(file) === ".mjs") {
        return formattedImport(file, esmDecorator);
      }
      try {
        return require(file);
      } catch (requireErr) {
        debug5("requireModule caught err: %O", requireErr.message);
        if (requireErr.name === "TSError" || isMochaError2(requireErr)) {
          throw requireErr;
        }
        try {
          return dealWithExports(await formattedImport(file, esmDecorator));
        } catch (importErr) {
          if (/\.(cts|mts|ts)$/.test(file) || importErr.code === "ERR_UNKNOWN_FILE_EXTENSION") {
            throw requireErr;
          }
          if (importErr.code === "ERR_UNSUPPORTED_DIR_IMPORT") {
            throw requireErr;
          }
          if (importErr.code === "ERR_INTERNAL_ASSERTION") {
            throw requireErr;
          }
          throw importErr;
        }
      }
    };
    debug5(
      "assigning requireOrImport, require_module === %O",
      process.features.require_module
    );
    if (process.features.require_module) {
      exports2.requireOrImport = requireModule;
    } else {
      exports2.requireOrImport = tryImportAndRequire;
    }
    function dealWithExports(module3) {
      if (module3.default) {
        return module3.default;
      } else {
        return { ...module3, default: void 0 };
      }
    }
    var resolveFile = (file) => {
      if (URL.canParse(file)) {
        const parsed = new URL(file);
        if (parsed.protocol.length > 2) {
          if (parsed.protocol === "file:") {
            return url.fileURLToPath(parsed);
          }
          throw new Error(
            `Unsupported URL protocol "${parsed.protocol}". Only "file:" URLs are supported.`
          );
        }
      }
      return path4.resolve(file);
    };
    exports2.loadFilesAsync = async (files, preLoadFunc, postLoadFunc, esmDecorator) => {
      for (const file of files) {
        preLoadFunc(file);
        const result = await exports2.requireOrImport(
          resolveFile(file),
          esmDecorator
        );
        postLoadFunc(file, result);
      }
    };
  }
});

// node_modules/mocha/lib/stats-collector.js
var stats_collector_exports = {};
__export(stats_collector_exports, {
  createStatsCollector: () => createStatsCollector
});
function createStatsCollector(runner) {
  var stats = {
    suites: 0,
    tests: 0,
    passes: 0,
    pending: 0,
    failures: 0
  };
  if (!runner) {
    throw new TypeError("Missing runner argument");
  }
  runner.stats = stats;
  runner.once(EVENT_RUN_BEGIN10, function() {
    stats.start = /* @__PURE__ */ new Date();
  });
  runner.on(EVENT_SUITE_BEGIN5, function(suite) {
    suite.root || stats.suites++;
  });
  runner.on(EVENT_TEST_PASS13, function() {
    stats.passes++;
  });
  runner.on(EVENT_TEST_FAIL13, function() {
    stats.failures++;
  });
  runner.on(EVENT_TEST_PENDING9, function() {
    stats.pending++;
  });
  runner.on(EVENT_TEST_END5, function() {
    stats.tests++;
  });
  runner.once(EVENT_RUN_END14, function() {
    stats.end = /* @__PURE__ */ new Date();
    stats.duration = stats.end - stats.start;
  });
}
var EVENT_TEST_PASS13, EVENT_TEST_FAIL13, EVENT_SUITE_BEGIN5, EVENT_RUN_BEGIN10, EVENT_TEST_PENDING9, EVENT_RUN_END14, EVENT_TEST_END5;
var init_stats_collector = __esm({
  "node_modules/mocha/lib/stats-collector.js"() {
    init_runner();
    ({
      EVENT_TEST_PASS: EVENT_TEST_PASS13,
      EVENT_TEST_FAIL: EVENT_TEST_FAIL13,
      EVENT_SUITE_BEGIN: EVENT_SUITE_BEGIN5,
      EVENT_RUN_BEGIN: EVENT_RUN_BEGIN10,
      EVENT_TEST_PENDING: EVENT_TEST_PENDING9,
      EVENT_RUN_END: EVENT_RUN_END14,
      EVENT_TEST_END: EVENT_TEST_END5
    } = Runner.constants);
  }
});

// node_modules/mocha/lib/test.js
var test_exports = {};
__export(test_exports, {
  Test: () => Test
});
var import_utils12, isString2, MOCHA_ID_PROP_NAME3, Test;
var init_test = __esm({
  "node_modules/mocha/lib/test.js"() {
    init_runnable();
    import_utils12 = __toESM(require_utils(), 1);
    init_errors();
    ({ isString: isString2 } = import_utils12.default);
    ({ MOCHA_ID_PROP_NAME: MOCHA_ID_PROP_NAME3 } = import_utils12.default.constants);
    Test = class _Test extends Runnable {
      /**
       * Initialize a new `Test` with the given `title` and callback `fn`.
       *
       * @public
       * @extends Runnable
       * @param {String} title - Test title (required)
       * @param {Function} [fn] - Test callback.  If omitted, the Test is considered "pending"
       */
      constructor(title2, fn) {
        if (!isString2(title2)) {
          throw createInvalidArgumentTypeError(
            'Test argument "title" should be a string. Received type "' + typeof title2 + '"',
            "title",
            "string"
          );
        }
        super(title2, fn);
        this.type = "test";
        this.reset();
      }
      /**
       * Resets the state initially or for a next run.
       */
      reset() {
        super.reset();
        this.pending = !this.fn;
        delete this.state;
      }
      /**
       * Set or get retried test
       *
       * @private
       */
      retriedTest(n) {
        if (!arguments.length) {
          return this._retriedTest;
        }
        this._retriedTest = n;
      }
      /**
       * Add test to the list of tests marked `only`.
       *
       * @private
       */
      markOnly() {
        this.parent.appendOnlyTest(this);
      }
      clone() {
        var test = new _Test(this.title, this.fn);
        test.timeout(this.timeout());
        test.slow(this.slow());
        test.retries(this.retries());
        test.currentRetry(this.currentRetry());
        test.retriedTest(this.retriedTest() || this);
        test.globals(this.globals());
        test.parent = this.parent;
        test.file = this.file;
        test.ctx = this.ctx;
        return test;
      }
      /**
       * Returns an minimal object suitable for transmission over IPC.
       * Functions are represented by keys beginning with `$$`.
       * @private
       * @returns {Object}
       */
      serialize() {
        return {
          $$currentRetry: this._currentRetry,
          $$fullTitle: this.fullTitle(),
          $$isPending: Boolean(this.pending),
          $$retriedTest: this._retriedTest || null,
          $$slow: this._slow,
          $$titlePath: this.titlePath(),
          body: this.body,
          duration: this.duration,
          err: this.err,
          parent: {
            $$fullTitle: this.parent.fullTitle(),
            [MOCHA_ID_PROP_NAME3]: this.parent.id
          },
          speed: this.speed,
          state: this.state,
          title: this.title,
          type: this.type,
          file: this.file,
          [MOCHA_ID_PROP_NAME3]: this.id
        };
      }
    };
  }
});

// node_modules/mocha/lib/interfaces/common.js
function createCommon(suites, context, mocha) {
  function shouldBeTested(suite) {
    return !mocha.options.grep || mocha.options.grep && mocha.options.grep.test(suite.fullTitle()) && !mocha.options.invert;
  }
  return {
    /**
     * This is only present if flag --delay is passed into Mocha. It triggers
     * root suite execution.
     *
     * @param {Suite} suite The root suite.
     * @return {Function} A function which runs the root suite
     */
    runWithSuite: function runWithSuite(suite) {
      return function run2() {
        suite.run();
      };
    },
    /**
     * Execute before running tests.
     *
     * @param {string} name
     * @param {Function} fn
     */
    before: function(name, fn) {
      return suites[0].beforeAll(name, fn);
    },
    /**
     * Execute after running tests.
     *
     * @param {string} name
     * @param {Function} fn
     */
    after: function(name, fn) {
      return suites[0].afterAll(name, fn);
    },
    /**
     * Execute before each test case.
     *
     * @param {string} name
     * @param {Function} fn
     */
    beforeEach: function(name, fn) {
      return suites[0].beforeEach(name, fn);
    },
    /**
     * Execute after each test case.
     *
     * @param {string} name
     * @param {Function} fn
     */
    afterEach: function(name, fn) {
      return suites[0].afterEach(name, fn);
    },
    suite: {
      /**
       * Create an exclusive Suite; convenience function
       * See docstring for create() below.
       *
       * @param {Object} opts
       * @returns {Suite}
       */
      only: function only(opts) {
        if (mocha.options.forbidOnly) {
          throw createForbiddenExclusivityError(mocha);
        }
        opts.isOnly = true;
        return this.create(opts);
      },
      /**
       * Create a Suite, but skip it; convenience function
       * See docstring for create() below.
       *
       * @param {Object} opts
       * @returns {Suite}
       */
      skip: function skip(opts) {
        opts.pending = true;
        return this.create(opts);
      },
      /**
       * Creates a suite.
       *
       * @param {Object} opts Options
       * @param {string} opts.title Title of Suite
       * @param {Function} [opts.fn] Suite Function (not always applicable)
       * @param {boolean} [opts.pending] Is Suite pending?
       * @param {string} [opts.file] Filepath where this Suite resides
       * @param {boolean} [opts.isOnly] Is Suite exclusive?
       * @returns {Suite}
       */
      create: function create(opts) {
        var suite = Suite.create(suites[0], opts.title);
        suite.pending = Boolean(opts.pending);
        suite.file = opts.file;
        suites.unshift(suite);
        if (opts.isOnly) {
          suite.markOnly();
        }
        if (suite.pending && mocha.options.forbidPending && shouldBeTested(suite)) {
          throw createUnsupportedError("Pending test forbidden");
        }
        if (typeof opts.fn === "function") {
          opts.fn.call(suite);
          suites.shift();
        } else if (typeof opts.fn === "undefined" && !suite.pending) {
          throw createMissingArgumentError(
            'Suite "' + suite.fullTitle() + '" was defined but no callback was supplied. Supply a callback or explicitly skip the suite.',
            "callback",
            "function"
          );
        } else if (!opts.fn && suite.pending) {
          suites.shift();
        }
        return suite;
      }
    },
    test: {
      /**
       * Exclusive test-case.
       *
       * @param {Object} mocha
       * @param {Function} test
       * @returns {*}
       */
      only: function(mocha2, test) {
        if (mocha2.options.forbidOnly) {
          throw createForbiddenExclusivityError(mocha2);
        }
        test.markOnly();
        return test;
      },
      /**
       * Pending test case.
       *
       * @param {string} title
       */
      skip: function(title2) {
        context.test(title2);
      }
    }
  };
}
var init_common = __esm({
  "node_modules/mocha/lib/interfaces/common.js"() {
    init_suite();
    init_errors();
  }
});

// node_modules/mocha/lib/interfaces/bdd.js
function bddInterface(suite) {
  var suites = [suite];
  suite.on(EVENT_FILE_PRE_REQUIRE, function(context, file, mocha) {
    var common = createCommon(suites, context, mocha);
    context.before = common.before;
    context.after = common.after;
    context.beforeEach = common.beforeEach;
    context.afterEach = common.afterEach;
    context.run = mocha.options.delay && common.runWithSuite(suite);
    context.describe = context.context = function(title2, fn) {
      return common.suite.create({
        title: title2,
        file,
        fn
      });
    };
    context.xdescribe = context.xcontext = context.describe.skip = function(title2, fn) {
      return common.suite.skip({
        title: title2,
        file,
        fn
      });
    };
    context.describe.only = function(title2, fn) {
      return common.suite.only({
        title: title2,
        file,
        fn
      });
    };
    context.it = context.specify = function(title2, fn) {
      var suite2 = suites[0];
      if (suite2.isPending()) {
        fn = null;
      }
      var test = new Test(title2, fn);
      test.file = file;
      suite2.addTest(test);
      return test;
    };
    context.it.only = function(title2, fn) {
      return common.test.only(mocha, context.it(title2, fn));
    };
    context.xit = context.xspecify = context.it.skip = function(title2) {
      return context.it(title2);
    };
  });
}
var EVENT_FILE_PRE_REQUIRE;
var init_bdd = __esm({
  "node_modules/mocha/lib/interfaces/bdd.js"() {
    init_test();
    init_suite();
    init_common();
    EVENT_FILE_PRE_REQUIRE = Suite.constants.EVENT_FILE_PRE_REQUIRE;
    bddInterface.description = "BDD or RSpec style [default]";
  }
});

// node_modules/mocha/lib/interfaces/tdd.js
function tddInterface(suite) {
  var suites = [suite];
  suite.on(EVENT_FILE_PRE_REQUIRE2, function(context, file, mocha) {
    var common = createCommon(suites, context, mocha);
    context.setup = common.beforeEach;
    context.teardown = common.afterEach;
    context.suiteSetup = common.before;
    context.suiteTeardown = common.after;
    context.run = mocha.options.delay && common.runWithSuite(suite);
    context.suite = function(title2, fn) {
      return common.suite.create({
        title: title2,
        file,
        fn
      });
    };
    context.suite.skip = function(title2, fn) {
      return common.suite.skip({
        title: title2,
        file,
        fn
      });
    };
    context.suite.only = function(title2, fn) {
      return common.suite.only({
        title: title2,
        file,
        fn
      });
    };
    context.test = function(title2, fn) {
      var suite2 = suites[0];
      if (suite2.isPending()) {
        fn = null;
      }
      var test = new Test(title2, fn);
      test.file = file;
      suite2.addTest(test);
      return test;
    };
    context.test.only = function(title2, fn) {
      return common.test.only(mocha, context.test(title2, fn));
    };
    context.test.skip = common.test.skip;
  });
}
var EVENT_FILE_PRE_REQUIRE2;
var init_tdd = __esm({
  "node_modules/mocha/lib/interfaces/tdd.js"() {
    init_test();
    init_suite();
    init_common();
    EVENT_FILE_PRE_REQUIRE2 = Suite.constants.EVENT_FILE_PRE_REQUIRE;
    tddInterface.description = `traditional "suite"/"test" instead of BDD's "describe"/"it"`;
  }
});

// node_modules/mocha/lib/interfaces/qunit.js
function qUnitInterface(suite) {
  var suites = [suite];
  suite.on(EVENT_FILE_PRE_REQUIRE3, function(context, file, mocha) {
    var common = createCommon(suites, context, mocha);
    context.before = common.before;
    context.after = common.after;
    context.beforeEach = common.beforeEach;
    context.afterEach = common.afterEach;
    context.run = mocha.options.delay && common.runWithSuite(suite);
    context.suite = function(title2) {
      if (suites.length > 1) {
        suites.shift();
      }
      return common.suite.create({
        title: title2,
        file,
        fn: false
      });
    };
    context.suite.only = function(title2) {
      if (suites.length > 1) {
        suites.shift();
      }
      return common.suite.only({
        title: title2,
        file,
        fn: false
      });
    };
    context.test = function(title2, fn) {
      var test = new Test(title2, fn);
      test.file = file;
      suites[0].addTest(test);
      return test;
    };
    context.test.only = function(title2, fn) {
      return common.test.only(mocha, context.test(title2, fn));
    };
    context.test.skip = common.test.skip;
  });
}
var EVENT_FILE_PRE_REQUIRE3;
var init_qunit = __esm({
  "node_modules/mocha/lib/interfaces/qunit.js"() {
    init_test();
    init_suite();
    init_common();
    EVENT_FILE_PRE_REQUIRE3 = Suite.constants.EVENT_FILE_PRE_REQUIRE;
    qUnitInterface.description = "QUnit style";
  }
});

// node_modules/mocha/lib/interfaces/exports.js
function exportsInterface(suite) {
  var suites = [suite];
  suite.on(Suite.constants.EVENT_FILE_REQUIRE, visit);
  function visit(obj, file) {
    var suite2;
    for (var key in obj) {
      if (typeof obj[key] === "function") {
        var fn = obj[key];
        switch (key) {
          case "before":
            suites[0].beforeAll(fn);
            break;
          case "after":
            suites[0].afterAll(fn);
            break;
          case "beforeEach":
            suites[0].beforeEach(fn);
            break;
          case "afterEach":
            suites[0].afterEach(fn);
            break;
          default:
            var test = new Test(key, fn);
            test.file = file;
            suites[0].addTest(test);
        }
      } else {
        suite2 = Suite.create(suites[0], key);
        suites.unshift(suite2);
        visit(obj[key], file);
        suites.shift();
      }
    }
  }
}
var init_exports = __esm({
  "node_modules/mocha/lib/interfaces/exports.js"() {
    init_suite();
    init_test();
    exportsInterface.description = 'Node.js module ("exports") style';
  }
});

// node_modules/mocha/lib/interfaces/index.js
var interfaces_exports = {};
__export(interfaces_exports, {
  bdd: () => bddInterface,
  exports: () => exportsInterface,
  qunit: () => qUnitInterface,
  tdd: () => tddInterface
});
var init_interfaces = __esm({
  "node_modules/mocha/lib/interfaces/index.js"() {
    init_bdd();
    init_tdd();
    init_qunit();
    init_exports();
  }
});

// node_modules/mocha/lib/context.js
var context_exports = {};
__export(context_exports, {
  Context: () => Context
});
var Context;
var init_context = __esm({
  "node_modules/mocha/lib/context.js"() {
    Context = class {
      constructor() {
      }
      /**
       * Set or get the context `Runnable` to `runnable`.
       *
       * @private
       * @param {Runnable} runnable
       * @return {Context} context
       */
      runnable(runnable) {
        if (!arguments.length) {
          return this._runnable;
        }
        this.test = this._runnable = runnable;
        return this;
      }
      /**
       * Set or get test timeout `ms`.
       *
       * @private
       * @param {number} ms
       * @return {Context} self
       */
      timeout(ms2) {
        if (!arguments.length) {
          return this.runnable().timeout();
        }
        this.runnable().timeout(ms2);
        return this;
      }
      /**
       * Set or get test slowness threshold `ms`.
       *
       * @private
       * @param {number} ms
       * @return {Context} self
       */
      slow(ms2) {
        if (!arguments.length) {
          return this.runnable().slow();
        }
        this.runnable().slow(ms2);
        return this;
      }
      /**
       * Mark a test as skipped.
       *
       * @private
       * @throws PendingError
       */
      skip() {
        this.runnable().skip();
      }
      /**
       * Set or get a number of allowed retries on failed tests
       *
       * @private
       * @param {number} n
       * @return {Context} self
       */
      retries(n) {
        if (!arguments.length) {
          return this.runnable().retries();
        }
        this.runnable().retries(n);
        return this;
      }
    };
  }
});

// node_modules/mocha/lib/nodejs/file-unloader.js
var file_unloader_exports = {};
__export(file_unloader_exports, {
  unloadFile: () => unloadFile
});
function unloadFile(file) {
  let resolved;
  try {
    resolved = require2.resolve(file);
  } catch (err) {
    if (err.code === "MODULE_NOT_FOUND") {
      return;
    }
    throw err;
  }
  delete require2.cache[resolved];
}
var import_node_module, import_meta, require2;
var init_file_unloader = __esm({
  "node_modules/mocha/lib/nodejs/file-unloader.js"() {
    import_node_module = require("node:module");
    import_meta = {};
    require2 = (0, import_node_module.createRequire)(import_meta.url);
  }
});

// node_modules/mocha/package.json
var require_package = __commonJS({
  "node_modules/mocha/package.json"(exports2, module2) {
    module2.exports = {
      name: "mocha",
      version: "12.0.3",
      type: "module",
      description: "Classic, reliable, trusted test framework for Node.js and the browser",
      keywords: [
        "mocha",
        "test",
        "bdd",
        "tdd",
        "tap",
        "testing",
        "chai",
        "assertion",
        "ava",
        "jest",
        "tape",
        "jasmine",
        "playwright"
      ],
      author: {
        name: "Mark Wiemer",
        url: "https://markwiemer.com/software/mocha"
      },
      license: "MIT",
      repository: {
        type: "git",
        url: "https://github.com/mochajs/mocha.git"
      },
      bugs: {
        url: "https://github.com/mochajs/mocha/issues/"
      },
      discord: "https://discord.gg/KeDn2uXhER",
      homepage: "https://mochajs.org/",
      logo: "https://cldup.com/S9uQ-cOLYz.svg",
      notifyLogo: "https://ibin.co/4QuRuGjXvl36.png",
      main: "./index.js",
      bin: {
        mocha: "./bin/mocha.js"
      },
      directories: {
        lib: "./lib",
        test: "./test"
      },
      engines: {
        node: "^20.19.0 || >=22.12.0"
      },
      scripts: {
        build: "rollup -c ./rollup.config.js",
        clean: "rimraf mocha.js mocha.js.map",
        docs: "cd docs; npm run docs",
        "format:check": "prettier --check .",
        "format:fix": "prettier --write .",
        "lint:installed-check": "installed-check --engine-check --ignore-dev",
        "lint:knip": "knip --cache",
        "lint:knip-docs": "cd docs && npm run lint:knip",
        "lint:code": "eslint . --max-warnings 0",
        prelint: "npm run clean",
        lint: "run-p --aggregate-output --continue-on-error lint:*",
        prepublishOnly: "run-s clean build version",
        "pretest-browser:playwright": "playwright install chromium --with-deps",
        "test-browser:playwright": "playwright test",
        "test-browser:webpack-compat": "webpack --mode development --config ./test/browser-specific/fixtures/webpack/webpack.config.cjs",
        "test-browser": "run-s clean build test-browser:*",
        "test-coverage-clean": "rimraf .nyc_output coverage",
        "test-coverage-generate": "nyc report --reporter=lcov --reporter=text",
        "test-node-run-only": "cross-env NODE_OPTIONS=--enable-source-maps nyc --no-clean --reporter=json node bin/mocha.js --no-forbid-only",
        "test-node-run": "cross-env NODE_OPTIONS=--enable-source-maps nyc --no-clean --reporter=json node bin/mocha.js --forbid-only",
        "test-node:integration": 'run-s clean build && npm run -s test-node-run -- --parallel --timeout 10000 --slow 3750 "test/integration/**/*.spec.cjs"',
        "test-node:integration:watch": 'run-s clean build && npm run -s test-node-run -- --parallel --timeout 10000 --slow 3750 "test/integration/options/watch.spec.cjs"',
        "test-node:interfaces:bdd": "npm run -s test-node-run -- --ui bdd test/interfaces/bdd.spec",
        "test-node:interfaces:exports": "npm run -s test-node-run -- --ui exports test/interfaces/exports.spec",
        "test-node:interfaces:qunit": "npm run -s test-node-run -- --ui qunit test/interfaces/qunit.spec",
        "test-node:interfaces:tdd": "npm run -s test-node-run -- --ui tdd test/interfaces/tdd.spec",
        "test-node:interfaces": "run-p test-node:interfaces:*",
        "test-node:jsapi": "node test/jsapi/index.js",
        "test-node:only:bddRequire": "npm run -s test-node-run-only -- --ui qunit test/only/bdd-require.spec --no-parallel",
        "test-node:only:globalBdd": "npm run -s test-node-run-only -- --ui bdd test/only/global/bdd.spec --no-parallel",
        "test-node:only:globalQunit": "npm run -s test-node-run-only -- --ui qunit test/only/global/qunit.spec --no-parallel",
        "test-node:only:globalTdd": "npm run -s test-node-run-only -- --ui tdd test/only/global/tdd.spec --no-parallel",
        "test-node:only": "run-p test-node:only:*",
        "test-node:reporters": 'npm run -s test-node-run -- "test/reporters/*.spec.{cjs,js}"',
        "test-node:requires": "npm run -s test-node-run -- --require coffeescript/register --require test/require/a.cjs --require test/require/b.coffee --require test/require/c.cjs --require test/require/d.coffee test/require/require.spec.cjs",
        "test-node:unit": 'npm run -s test-node-run -- "test/unit/**/*.spec.cjs" "test/node-unit/**/*.spec.{cjs,js}"',
        "test-node": "run-s test-coverage-clean test-node:* test-coverage-generate",
        "test-smoke": "node ./bin/mocha.js --no-config test/smoke/smoke.spec.cjs",
        test: "run-s lint test-node test-browser",
        tsc: "tsc",
        "version:linkify-changelog": "node scripts/linkify-changelog.js",
        "version:update-authors": "node scripts/update-authors.cjs",
        version: "run-p version:* && git add -A ./AUTHORS ./CHANGELOG.md"
      },
      dependencies: {
        "browser-stdout": "^1.3.1",
        chokidar: "^5.0.0",
        debug: "^4.3.5",
        diff: "^9.0.0",
        "find-up-simple": "^1.0.1",
        glob: "^13.0.0",
        "is-path-inside": "^4.0.0",
        "is-unicode-supported": "^0.1.0",
        "js-yaml": "^5.0.0",
        minimatch: "^10.2.2",
        ms: "^2.1.3",
        picocolors: "^1.1.1",
        "serialize-javascript": "^7.1.1",
        "strip-json-comments": "^5.0.3",
        "supports-color": "^8.1.1",
        workerpool: "^10.0.0"
      },
      devDependencies: {
        "@eslint/js": "^10.0.0",
        "@eslint/markdown": "^8.0.0",
        "@playwright/test": "^1.60.0",
        "@rollup/plugin-alias": "^6.0.0",
        "@rollup/plugin-commonjs": "^29.0.0",
        "@rollup/plugin-json": "^6.1.0",
        "@rollup/plugin-node-resolve": "^16.0.3",
        "@test/esm-only-loader": "./test/compiler-fixtures/esm-only-loader",
        "@types/node": "^24.0.0",
        chai: "^6.0.0",
        coffeescript: "^2.6.1",
        "cross-env": "^10.0.0",
        eslint: "^10.0.0",
        "eslint-plugin-n": "^18.0.0",
        globals: "^17.0.0",
        "installed-check": "^10.0.0",
        knip: "^6.0.0",
        "npm-run-all2": "^8.0.0",
        nyc: "^18.0.0",
        prettier: "3.9.5",
        "ps-list": "^9.0.0",
        remark: "^15.0.0",
        "remark-github": "^12.0.0",
        "remark-inline-links": "^7.0.0",
        rewiremock: "^3.14.3",
        rimraf: "^6.0.0",
        rollup: "^4.52.3",
        "rollup-plugin-polyfill-node": "^0.13.0",
        "rollup-plugin-visualizer": "^6.0.5",
        semver: "^7.7.2",
        sinon: "^22.0.0",
        tsx: "^4.23.13",
        typescript: "^5.8.3",
        unexpected: "^13.2.1",
        "unexpected-eventemitter": "^2.4.0",
        "unexpected-sinon": "^11.1.0",
        webpack: "^5.67.0",
        "webpack-cli": "^7.0.2"
      },
      files: [
        "bin/*mocha*",
        "lib/**/*.html",
        "lib/**/*.js",
        "lib/**/*.json",
        "lib/**/*.cjs",
        "index.js",
        "mocha.css",
        "mocha.js",
        "mocha.js.map",
        "mocha.mjs",
        "browser-entry.js"
      ],
      browser: {
        "./index.js": "./browser-entry.js",
        fs: false,
        path: false,
        "supports-color": false,
        "./lib/nodejs/buffered-worker-pool.cjs": false,
        "./lib/nodejs/esm-utils.cjs": false,
        "./lib/nodejs/file-unloader.js": false,
        "./lib/nodejs/parallel-buffered-runner.cjs": false,
        "./lib/nodejs/serializer.js": false,
        "./lib/nodejs/worker.cjs": false,
        "./lib/nodejs/reporters/parallel-buffered.cjs": false,
        "./lib/cli/index.cjs": false
      },
      overrides: {
        "@types/eslint": "^9.6.1",
        "@types/estree": "^1.0.7",
        webdriverio: "^9.0.0"
      }
    };
  }
});

// node_modules/serialize-javascript/index.js
var require_serialize_javascript = __commonJS({
  "node_modules/serialize-javascript/index.js"(exports2, module2) {
    "use strict";
    var UID_LENGTH = 16;
    var UID = generateUID();
    var PLACE_HOLDER_REGEXP = new RegExp('(\\\\)?"@__(F|R|D|M|S|A|U|I|B|L)-' + UID + '-(\\d+)__@"', "g");
    var IS_NATIVE_CODE_REGEXP = /\{\s*\[native code\]\s*\}/;
    var IS_PURE_FUNCTION = /^(?:async(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)+)?function\b/;
    var IS_CLASS = /^class\b(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*(?:\{|[^\s(/])/;
    var IS_ARROW_FUNCTION = /^(?:async(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)+)?(?:\([\s\S]*?\)|[^\s()]+)\s*=>/;
    var UNSAFE_CHARS_REGEXP = /[<>\/\u2028\u2029]/g;
    var SCRIPT_CLOSE_REGEXP = /<\/script[^<>]*>|<\/script(?=$|[\t\n\f\r \/>])/gi;
    var RESERVED_SYMBOLS = ["*", "async"];
    var ESCAPED_CHARS = {
      "<": "\\u003C",
      ">": "\\u003E",
      "/": "\\u002F",
      "\u2028": "\\u2028",
      "\u2029": "\\u2029"
    };
    function escapeUnsafeChars(unsafeChar) {
      return ESCAPED_CHARS[unsafeChar];
    }
    var STRING_OR_COMMENT_REGEXP = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`(?:\\.|[^`\\])*`|\/(?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^\/\\\n])+\//g;
    function escapeFunctionBody(str) {
      var stringAndCommentSpans = [];
      var match;
      STRING_OR_COMMENT_REGEXP.lastIndex = 0;
      while (match = STRING_OR_COMMENT_REGEXP.exec(str)) {
        stringAndCommentSpans.push([match.index, match.index + match[0].length]);
      }
      var spanCursor = 0;
      str = str.replace(SCRIPT_CLOSE_REGEXP, function(scriptCloseMatch, offset) {
        while (spanCursor < stringAndCommentSpans.length && stringAndCommentSpans[spanCursor][1] <= offset) {
          spanCursor++;
        }
        var span = stringAndCommentSpans[spanCursor];
        var inStringOrComment = !!span && offset >= span[0] && offset < span[1];
        if (!inStringOrComment) {
          return "< " + scriptCloseMatch.slice(1);
        }
        return scriptCloseMatch.replace(/</g, "\\u003C").replace(/\//g, "\\u002F").replace(/>/g, "\\u003E");
      });
      str = str.replace(/\u2028/g, "\\u2028");
      str = str.replace(/\u2029/g, "\\u2029");
      return str;
    }
    function generateUID() {
      var bytes = crypto.getRandomValues(new Uint8Array(UID_LENGTH));
      var result = "";
      for (var i = 0; i < UID_LENGTH; ++i) {
        result += bytes[i].toString(16);
      }
      return result;
    }
    module2.exports = function serialize2(obj, options) {
      options || (options = {});
      if (typeof options === "number" || typeof options === "string") {
        options = { space: options };
      }
      var functions = [];
      var regexps = [];
      var dates = [];
      var maps = [];
      var sets = [];
      var arrays = [];
      var undefs = [];
      var infinities = [];
      var bigInts = [];
      var urls = [];
      function replacer(key, value) {
        if (!value && value !== void 0 && value !== BigInt(0)) {
          return value;
        }
        var origValue = this[key];
        var type2 = typeof origValue;
        if (type2 === "object") {
          if (origValue instanceof RegExp) {
            return "@__R-" + UID + "-" + (regexps.push(origValue) - 1) + "__@";
          }
          if (origValue instanceof Date) {
            return "@__D-" + UID + "-" + (dates.push(origValue) - 1) + "__@";
          }
          if (origValue instanceof Map) {
            return "@__M-" + UID + "-" + (maps.push(origValue) - 1) + "__@";
          }
          if (origValue instanceof Set) {
            return "@__S-" + UID + "-" + (sets.push(origValue) - 1) + "__@";
          }
          if (Array.isArray(origValue)) {
            var isSparse = Object.keys(origValue).length !== origValue.length;
            if (isSparse) {
              return "@__A-" + UID + "-" + (arrays.push(origValue) - 1) + "__@";
            }
          }
          if (origValue instanceof URL) {
            return "@__L-" + UID + "-" + (urls.push(origValue) - 1) + "__@";
          }
        }
        if (type2 === "function") {
          if (options.ignoreFunction) {
            return value;
          }
          return "@__F-" + UID + "-" + (functions.push(origValue) - 1) + "__@";
        }
        if (type2 === "undefined") {
          return "@__U-" + UID + "-" + (undefs.push(origValue) - 1) + "__@";
        }
        if (type2 === "number" && !isNaN(origValue) && !isFinite(origValue)) {
          return "@__I-" + UID + "-" + (infinities.push(origValue) - 1) + "__@";
        }
        if (type2 === "bigint") {
          return "@__B-" + UID + "-" + (bigInts.push(origValue) - 1) + "__@";
        }
        return value;
      }
      function serializeFunc(fn, options2) {
        var serializedFn = fn.toString();
        if (typeof serializedFn !== "string") {
          throw new TypeError("Function.toString() must return a string");
        }
        if (IS_NATIVE_CODE_REGEXP.test(serializedFn)) {
          throw new TypeError("Serializing native function: " + fn.name);
        }
        if (options2 && options2.unsafe !== true) {
          serializedFn = escapeFunctionBody(serializedFn);
        }
        if (IS_PURE_FUNCTION.test(serializedFn) || IS_CLASS.test(serializedFn)) {
          return serializedFn;
        }
        if (IS_ARROW_FUNCTION.test(serializedFn)) {
          return serializedFn;
        }
        var argsStartsAt = serializedFn.indexOf("(");
        var def = serializedFn.substr(0, argsStartsAt).trim().split(" ").filter(function(val) {
          return val.length > 0;
        });
        var nonReservedSymbols = def.filter(function(val) {
          return RESERVED_SYMBOLS.indexOf(val) === -1;
        });
        if (nonReservedSymbols.length > 0) {
          return (def.indexOf("async") > -1 ? "async " : "") + "function" + (def.join("").indexOf("*") > -1 ? "*" : "") + serializedFn.substr(argsStartsAt);
        }
        return serializedFn;
      }
      if (options.ignoreFunction && typeof obj === "function") {
        obj = void 0;
      }
      if (obj === void 0) {
        return String(obj);
      }
      var str;
      if (options.isJSON && !options.space) {
        str = JSON.stringify(obj);
      } else {
        str = JSON.stringify(obj, options.isJSON ? null : replacer, options.space);
      }
      if (typeof str !== "string") {
        return String(str);
      }
      if (options.unsafe !== true) {
        str = str.replace(UNSAFE_CHARS_REGEXP, escapeUnsafeChars);
      }
      if (functions.length === 0 && regexps.length === 0 && dates.length === 0 && maps.length === 0 && sets.length === 0 && arrays.length === 0 && undefs.length === 0 && infinities.length === 0 && bigInts.length === 0 && urls.length === 0) {
        return str;
      }
      return str.replace(PLACE_HOLDER_REGEXP, function(match, backSlash, type2, valueIndex) {
        if (backSlash) {
          return match;
        }
        if (type2 === "D") {
          var isoStr = String(dates[valueIndex].toISOString());
          if (!/^(?:\d{4}|[+-]\d{6})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(isoStr)) {
            throw new TypeError("Invalid Date ISO string");
          }
          return 'new Date("' + isoStr + '")';
        }
        if (type2 === "R") {
          var flags = String(regexps[valueIndex].flags).replace(/[^gimsuydv]/g, "");
          var regexpSource = regexps[valueIndex].source;
          if (typeof regexpSource !== "string") {
            throw new TypeError("RegExp.source must be a string");
          }
          return "new RegExp(" + serialize2(regexpSource) + ', "' + flags + '")';
        }
        if (type2 === "M") {
          return "new Map(" + serialize2(Array.from(maps[valueIndex].entries()), options) + ")";
        }
        if (type2 === "S") {
          return "new Set(" + serialize2(Array.from(sets[valueIndex].values()), options) + ")";
        }
        if (type2 === "A") {
          return "Array.prototype.slice.call(" + serialize2(Object.assign({ length: arrays[valueIndex].length }, arrays[valueIndex]), options) + ")";
        }
        if (type2 === "U") {
          return "undefined";
        }
        if (type2 === "I") {
          return infinities[valueIndex];
        }
        if (type2 === "B") {
          return 'BigInt("' + bigInts[valueIndex] + '")';
        }
        if (type2 === "L") {
          var urlStr = urls[valueIndex].toString();
          if (typeof urlStr !== "string") {
            throw new TypeError("URL.toString() must return a string");
          }
          return "new URL(" + serialize2(urlStr, options) + ")";
        }
        var fn = functions[valueIndex];
        return serializeFunc(fn, options);
      });
    };
  }
});

// node_modules/workerpool/src/environment.js
var require_environment = __commonJS({
  "node_modules/workerpool/src/environment.js"(exports2, module2) {
    var isNode = function(nodeProcess) {
      return typeof nodeProcess !== "undefined" && nodeProcess.versions != null && nodeProcess.versions.node != null && nodeProcess + "" === "[object process]";
    };
    module2.exports.isNode = isNode;
    module2.exports.platform = typeof process !== "undefined" && isNode(process) ? "node" : "browser";
    var worker_threads = module2.exports.platform === "node" && require("worker_threads");
    module2.exports.isMainThread = module2.exports.platform === "node" ? (!worker_threads || worker_threads.isMainThread) && !process.connected : typeof Window !== "undefined";
    module2.exports.cpus = module2.exports.platform === "browser" ? self.navigator.hardwareConcurrency : require("os").cpus().length;
  }
});

// node_modules/workerpool/src/Promise.js
var require_Promise = __commonJS({
  "node_modules/workerpool/src/Promise.js"(exports2) {
    "use strict";
    function Promise2(handler, parent) {
      var me = this;
      if (!(this instanceof Promise2)) {
        throw new SyntaxError("Constructor must be called with the new operator");
      }
      if (typeof handler !== "function") {
        throw new SyntaxError("Function parameter handler(resolve, reject) missing");
      }
      var _onSuccess = [];
      var _onFail = [];
      this.resolved = false;
      this.rejected = false;
      this.pending = true;
      this[Symbol.toStringTag] = "Promise";
      var _process = function(onSuccess, onFail) {
        _onSuccess.push(onSuccess);
        _onFail.push(onFail);
      };
      this.then = function(onSuccess, onFail) {
        return new Promise2(function(resolve, reject) {
          var s = onSuccess ? _then(onSuccess, resolve, reject) : resolve;
          var f = onFail ? _then(onFail, resolve, reject) : reject;
          _process(s, f);
        }, me);
      };
      var _resolve = function(result) {
        me.resolved = true;
        me.rejected = false;
        me.pending = false;
        _onSuccess.forEach(function(fn) {
          fn(result);
        });
        _process = function(onSuccess, onFail) {
          onSuccess(result);
        };
        _resolve = _reject = function() {
        };
        return me;
      };
      var _reject = function(error2) {
        me.resolved = false;
        me.rejected = true;
        me.pending = false;
        _onFail.forEach(function(fn) {
          fn(error2);
        });
        _process = function(onSuccess, onFail) {
          onFail(error2);
        };
        _resolve = _reject = function() {
        };
        return me;
      };
      this.cancel = function() {
        if (parent) {
          parent.cancel();
        } else {
          _reject(new CancellationError());
        }
        return me;
      };
      this.timeout = function(delay) {
        if (parent) {
          parent.timeout(delay);
        } else {
          var timer = setTimeout(function() {
            _reject(new TimeoutError("Promise timed out after " + delay + " ms"));
          }, delay);
          me.always(function() {
            clearTimeout(timer);
          });
        }
        return me;
      };
      handler(function(result) {
        _resolve(result);
      }, function(error2) {
        _reject(error2);
      });
    }
    function _then(callback, resolve, reject) {
      return function(result) {
        try {
          var res = callback(result);
          if (res && typeof res.then === "function" && typeof res["catch"] === "function") {
            res.then(resolve, reject);
          } else {
            resolve(res);
          }
        } catch (error2) {
          reject(error2);
        }
      };
    }
    Promise2.prototype["catch"] = function(onFail) {
      return this.then(null, onFail);
    };
    Promise2.prototype.always = function(fn) {
      return this.then(fn, fn);
    };
    Promise2.prototype.finally = function(fn) {
      const me = this;
      const final = function() {
        return new Promise2((resolve) => resolve()).then(fn).then(() => me);
      };
      return this.then(final, final);
    };
    Promise2.all = function(promises) {
      return new Promise2(function(resolve, reject) {
        var remaining = promises.length, results = [];
        if (remaining) {
          promises.forEach(function(p, i) {
            p.then(function(result) {
              results[i] = result;
              remaining--;
              if (remaining == 0) {
                resolve(results);
              }
            }, function(error2) {
              remaining = 0;
              reject(error2);
            });
          });
        } else {
          resolve(results);
        }
      });
    };
    Promise2.defer = function() {
      var resolver = {};
      resolver.promise = new Promise2(function(resolve, reject) {
        resolver.resolve = resolve;
        resolver.reject = reject;
      });
      return resolver;
    };
    function CancellationError(message) {
      this.message = message || "promise cancelled";
      this.stack = new Error().stack;
    }
    CancellationError.prototype = new Error();
    CancellationError.prototype.constructor = Error;
    CancellationError.prototype.name = "CancellationError";
    Promise2.CancellationError = CancellationError;
    function TimeoutError(message) {
      this.message = message || "timeout exceeded";
      this.stack = new Error().stack;
    }
    TimeoutError.prototype = new Error();
    TimeoutError.prototype.constructor = Error;
    TimeoutError.prototype.name = "TimeoutError";
    Promise2.TimeoutError = TimeoutError;
    exports2.Promise = Promise2;
  }
});

// node_modules/workerpool/src/validateOptions.js
var require_validateOptions = __commonJS({
  "node_modules/workerpool/src/validateOptions.js"(exports2) {
    exports2.validateOptions = function validateOptions(options, allowedOptionNames, objectName) {
      if (!options) {
        return;
      }
      var optionNames = options ? Object.keys(options) : [];
      var unknownOptionName = optionNames.find((optionName) => !allowedOptionNames.includes(optionName));
      if (unknownOptionName) {
        throw new Error('Object "' + objectName + '" contains an unknown option "' + unknownOptionName + '"');
      }
      var illegalOptionName = allowedOptionNames.find((allowedOptionName) => {
        return Object.prototype[allowedOptionName] && !optionNames.includes(allowedOptionName);
      });
      if (illegalOptionName) {
        throw new Error('Object "' + objectName + '" contains an inherited option "' + illegalOptionName + '" which is not defined in the object itself but in its prototype. Only plain objects are allowed. Please remove the option from the prototype or override it with a value "undefined".');
      }
      return options;
    };
    exports2.workerOptsNames = [
      "credentials",
      "name",
      "type"
    ];
    exports2.forkOptsNames = [
      "cwd",
      "detached",
      "env",
      "execPath",
      "execArgv",
      "gid",
      "serialization",
      "signal",
      "killSignal",
      "silent",
      "stdio",
      "uid",
      "windowsVerbatimArguments",
      "timeout"
    ];
    exports2.workerThreadOptsNames = [
      "argv",
      "env",
      "eval",
      "execArgv",
      "stdin",
      "stdout",
      "stderr",
      "workerData",
      "trackUnmanagedFds",
      "transferList",
      "resourceLimits",
      "name"
    ];
  }
});

// node_modules/workerpool/src/generated/embeddedWorker.js
var require_embeddedWorker = __commonJS({
  "node_modules/workerpool/src/generated/embeddedWorker.js"(exports2, module2) {
    module2.exports = `!function(e,n){"object"==typeof exports&&"undefined"!=typeof module?module.exports=n():"function"==typeof define&&define.amd?define(n):(e="undefined"!=typeof globalThis?globalThis:e||self).worker=n()}(this,function(){"use strict";function e(n){return e="function"==typeof Symbol&&"symbol"==typeof Symbol.iterator?function(e){return typeof e}:function(e){return e&&"function"==typeof Symbol&&e.constructor===Symbol&&e!==Symbol.prototype?"symbol":typeof e},e(n)}function n(e){return e&&e.__esModule&&Object.prototype.hasOwnProperty.call(e,"default")?e.default:e}var t={};var r=function(e,n){this.message=e,this.transfer=n},o={};function i(e,n){var t=this;if(!(this instanceof i))throw new SyntaxError("Constructor must be called with the new operator");if("function"!=typeof e)throw new SyntaxError("Function parameter handler(resolve, reject) missing");var r=[],o=[];this.resolved=!1,this.rejected=!1,this.pending=!0,this[Symbol.toStringTag]="Promise";var a=function(e,n){r.push(e),o.push(n)};this.then=function(e,n){return new i(function(t,r){var o=e?s(e,t,r):t,i=n?s(n,t,r):r;a(o,i)},t)};var f=function(e){return t.resolved=!0,t.rejected=!1,t.pending=!1,r.forEach(function(n){n(e)}),a=function(n,t){n(e)},f=d=function(){},t},d=function(e){return t.resolved=!1,t.rejected=!0,t.pending=!1,o.forEach(function(n){n(e)}),a=function(n,t){t(e)},f=d=function(){},t};this.cancel=function(){return n?n.cancel():d(new u),t},this.timeout=function(e){if(n)n.timeout(e);else{var r=setTimeout(function(){d(new c("Promise timed out after "+e+" ms"))},e);t.always(function(){clearTimeout(r)})}return t},e(function(e){f(e)},function(e){d(e)})}function s(e,n,t){return function(r){try{var o=e(r);o&&"function"==typeof o.then&&"function"==typeof o.catch?o.then(n,t):n(o)}catch(e){t(e)}}}function u(e){this.message=e||"promise cancelled",this.stack=(new Error).stack}function c(e){this.message=e||"timeout exceeded",this.stack=(new Error).stack}return i.prototype.catch=function(e){return this.then(null,e)},i.prototype.always=function(e){return this.then(e,e)},i.prototype.finally=function(e){var n=this,t=function(){return new i(function(e){return e()}).then(e).then(function(){return n})};return this.then(t,t)},i.all=function(e){return new i(function(n,t){var r=e.length,o=[];r?e.forEach(function(e,i){e.then(function(e){o[i]=e,0==--r&&n(o)},function(e){r=0,t(e)})}):n(o)})},i.defer=function(){var e={};return e.promise=new i(function(n,t){e.resolve=n,e.reject=t}),e},u.prototype=new Error,u.prototype.constructor=Error,u.prototype.name="CancellationError",i.CancellationError=u,c.prototype=new Error,c.prototype.constructor=Error,c.prototype.name="TimeoutError",i.TimeoutError=c,o.Promise=i,function(n){var t=r,i=o.Promise,s="__workerpool-cleanup__",u={exit:function(){}},c={addAbortListener:function(e){u.abortListeners.push(e)},emit:u.emit};if("undefined"!=typeof self&&"function"==typeof postMessage&&"function"==typeof addEventListener)u.on=function(e,n){addEventListener(e,function(e){n(e.data)})},u.send=function(e,n){n?postMessage(e,n):postMessage(e)};else{if("undefined"==typeof process)throw new Error("Script must be executed as a worker");var a;try{a=require("worker_threads")}catch(n){if("object"!==e(n)||null===n||"MODULE_NOT_FOUND"!==n.code)throw n}if(a&&null!==a.parentPort){var f=a.parentPort;u.send=f.postMessage.bind(f),u.on=f.on.bind(f),u.exit=process.exit.bind(process)}else u.on=process.on.bind(process),u.send=function(e){process.send(e)},u.on("disconnect",function(){process.exit(1)}),u.exit=process.exit.bind(process)}function d(e){return e&&e.toJSON?JSON.parse(JSON.stringify(e)):JSON.parse(JSON.stringify(e,Object.getOwnPropertyNames(e)))}function l(e){return e&&"function"==typeof e.then&&"function"==typeof e.catch}u.methods={},u.methods.run=function(e,n){var t=new Function("return ("+e+").apply(this, arguments);");return t.worker=c,t.apply(t,n)},u.methods.methods=function(){return Object.keys(u.methods)},u.terminationHandler=void 0,u.abortListenerTimeout=1e3,u.abortListeners=[],u.terminateAndExit=function(e){var n=function(){u.exit(e)};if(!u.terminationHandler)return n();var t=u.terminationHandler(e);return l(t)?(t.then(n,n),t):(n(),new i(function(e,n){n(new Error("Worker terminating"))}))},u.cleanup=function(e){if(!u.abortListeners.length)return u.send({id:e,method:s,error:d(new Error("Worker terminating"))}),new i(function(e){e()});var n,t=u.abortListeners.map(function(e){return e()}),r=new i(function(e,t){n=setTimeout(function(){t(new Error("Timeout occurred waiting for abort handler, killing worker"))},u.abortListenerTimeout)}),o=i.all(t).then(function(){clearTimeout(n),u.abortListeners.length&&(u.abortListeners=[])},function(){clearTimeout(n),u.exit()});return new i(function(e,n){o.then(e,n),r.then(e,n)}).then(function(){u.send({id:e,method:s,error:null})},function(n){u.send({id:e,method:s,error:n?d(n):null})})};var p=null;u.on("message",function(e){if("__workerpool-terminate__"===e)return u.terminateAndExit(0);if(e.method===s)return u.cleanup(e.id);try{var n=u.methods[e.method];if(!n)throw new Error('Unknown method "'+e.method+'"');p=e.id;var r=n.apply(n,e.params);l(r)?r.then(function(n){n instanceof t?u.send({id:e.id,result:n.message,error:null},n.transfer):u.send({id:e.id,result:n,error:null}),p=null}).catch(function(n){u.send({id:e.id,result:null,error:d(n)}),p=null}):(r instanceof t?u.send({id:e.id,result:r.message,error:null},r.transfer):u.send({id:e.id,result:r,error:null}),p=null)}catch(n){u.send({id:e.id,result:null,error:d(n)})}}),u.register=function(e,n){if(e)for(var t in e)e.hasOwnProperty(t)&&(u.methods[t]=e[t],u.methods[t].worker=c);n&&(u.terminationHandler=n.onTerminate,u.abortListenerTimeout=n.abortListenerTimeout||1e3),u.send("ready")},u.emit=function(e){if(p){if(e instanceof t)return void u.send({id:p,isEvent:!0,payload:e.message},e.transfer);u.send({id:p,isEvent:!0,payload:e})}},n.add=u.register,n.emit=u.emit}(t),n(t)});
//# sourceMappingURL=worker.min.js.map
`;
  }
});

// node_modules/workerpool/src/WorkerHandler.js
var require_WorkerHandler = __commonJS({
  "node_modules/workerpool/src/WorkerHandler.js"(exports2, module2) {
    "use strict";
    var { Promise: Promise2 } = require_Promise();
    var environment = require_environment();
    var { validateOptions, forkOptsNames, workerThreadOptsNames, workerOptsNames } = require_validateOptions();
    var TERMINATE_METHOD_ID = "__workerpool-terminate__";
    var CLEANUP_METHOD_ID = "__workerpool-cleanup__";
    function ensureWorkerThreads() {
      var WorkerThreads = tryRequireWorkerThreads();
      if (!WorkerThreads) {
        throw new Error("WorkerPool: workerType = 'thread' is not supported, Node >= 11.7.0 required");
      }
      return WorkerThreads;
    }
    function ensureWebWorker() {
      if (typeof Worker !== "function" && (typeof Worker !== "object" || typeof Worker.prototype.constructor !== "function")) {
        throw new Error("WorkerPool: Web Workers not supported");
      }
    }
    function tryRequireWorkerThreads() {
      try {
        return require("worker_threads");
      } catch (error2) {
        if (typeof error2 === "object" && error2 !== null && error2.code === "MODULE_NOT_FOUND") {
          return null;
        } else {
          throw error2;
        }
      }
    }
    function getDefaultWorker() {
      if (environment.platform === "browser") {
        if (typeof Blob === "undefined") {
          throw new Error("Blob not supported by the browser");
        }
        if (!window.URL || typeof window.URL.createObjectURL !== "function") {
          throw new Error("URL.createObjectURL not supported by the browser");
        }
        var blob = new Blob([require_embeddedWorker()], { type: "text/javascript" });
        return window.URL.createObjectURL(blob);
      } else {
        return __dirname + "/worker.js";
      }
    }
    function setupWorker(script, options) {
      if (options.workerType === "web") {
        ensureWebWorker();
        return setupBrowserWorker(script, options.workerOpts, Worker);
      } else if (options.workerType === "thread") {
        WorkerThreads = ensureWorkerThreads();
        return setupWorkerThreadWorker(script, WorkerThreads, options);
      } else if (options.workerType === "process" || !options.workerType) {
        return setupProcessWorker(script, resolveForkOptions(options), require("child_process"));
      } else {
        if (environment.platform === "browser") {
          ensureWebWorker();
          return setupBrowserWorker(script, options.workerOpts, Worker);
        } else {
          var WorkerThreads = tryRequireWorkerThreads();
          if (WorkerThreads) {
            return setupWorkerThreadWorker(script, WorkerThreads, options);
          } else {
            return setupProcessWorker(script, resolveForkOptions(options), require("child_process"));
          }
        }
      }
    }
    function setupBrowserWorker(script, workerOpts, Worker2) {
      validateOptions(workerOpts, workerOptsNames, "workerOpts");
      var worker = new Worker2(script, workerOpts);
      worker.isBrowserWorker = true;
      worker.on = function(event, callback) {
        this.addEventListener(event, function(message) {
          callback(message.data);
        });
      };
      worker.send = function(message, transfer) {
        this.postMessage(message, transfer);
      };
      return worker;
    }
    function setupWorkerThreadWorker(script, WorkerThreads, options) {
      validateOptions(options?.workerThreadOpts, workerThreadOptsNames, "workerThreadOpts");
      var worker = new WorkerThreads.Worker(script, {
        stdout: options?.emitStdStreams ?? false,
        // pipe worker.STDOUT to process.STDOUT if not requested
        stderr: options?.emitStdStreams ?? false,
        // pipe worker.STDERR to process.STDERR if not requested
        ...options?.workerThreadOpts
      });
      worker.isWorkerThread = true;
      worker.send = function(message, transfer) {
        this.postMessage(message, transfer);
      };
      worker.kill = function() {
        this.terminate();
        return true;
      };
      worker.disconnect = function() {
        this.terminate();
      };
      if (options?.emitStdStreams) {
        worker.stdout.on("data", (data) => worker.emit("stdout", data));
        worker.stderr.on("data", (data) => worker.emit("stderr", data));
      }
      return worker;
    }
    function setupProcessWorker(script, options, child_process) {
      validateOptions(options.forkOpts, forkOptsNames, "forkOpts");
      var worker = child_process.fork(
        script,
        options.forkArgs,
        options.forkOpts
      );
      var send = worker.send;
      worker.send = function(message) {
        return send.call(worker, message);
      };
      if (options.emitStdStreams) {
        worker.stdout.on("data", (data) => worker.emit("stdout", data));
        worker.stderr.on("data", (data) => worker.emit("stderr", data));
      }
      worker.isChildProcess = true;
      return worker;
    }
    function resolveForkOptions(opts) {
      opts = opts || {};
      var processExecArgv = process.execArgv.join(" ");
      var inspectorActive = processExecArgv.indexOf("--inspect") !== -1;
      var debugBrk = processExecArgv.indexOf("--debug-brk") !== -1;
      var execArgv = [];
      if (inspectorActive) {
        execArgv.push("--inspect=" + opts.debugPort);
        if (debugBrk) {
          execArgv.push("--debug-brk");
        }
      }
      process.execArgv.forEach(function(arg) {
        if (arg.indexOf("--max-old-space-size") > -1) {
          execArgv.push(arg);
        }
      });
      return Object.assign({}, opts, {
        forkArgs: opts.forkArgs,
        forkOpts: Object.assign({}, opts.forkOpts, {
          execArgv: (opts.forkOpts && opts.forkOpts.execArgv || []).concat(execArgv),
          stdio: opts.emitStdStreams ? "pipe" : void 0
        })
      });
    }
    function objectToError(obj) {
      var temp = new Error("");
      var props = Object.keys(obj);
      for (var i = 0; i < props.length; i++) {
        temp[props[i]] = obj[props[i]];
      }
      return temp;
    }
    function handleEmittedStdPayload(handler, payload) {
      Object.values(handler.processing).forEach((task) => task?.options?.on(payload));
      Object.values(handler.tracking).forEach((task) => task?.options?.on(payload));
    }
    function WorkerHandler(script, _options) {
      var me = this;
      var options = _options || {};
      this.script = script || getDefaultWorker();
      this.worker = setupWorker(this.script, options);
      this.debugPort = options.debugPort;
      this.forkOpts = options.forkOpts;
      this.forkArgs = options.forkArgs;
      this.workerOpts = options.workerOpts;
      this.workerThreadOpts = options.workerThreadOpts;
      this.workerTerminateTimeout = options.workerTerminateTimeout;
      if (!script) {
        this.worker.ready = true;
      }
      this.requestQueue = [];
      this.worker.on("stdout", function(data) {
        handleEmittedStdPayload(me, { "stdout": data.toString() });
      });
      this.worker.on("stderr", function(data) {
        handleEmittedStdPayload(me, { "stderr": data.toString() });
      });
      this.worker.on("message", function(response) {
        if (me.terminated) {
          return;
        }
        if (typeof response === "string" && response === "ready") {
          me.worker.ready = true;
          dispatchQueuedRequests();
        } else {
          var id = response.id;
          var task = me.processing[id];
          if (task !== void 0) {
            if (response.isEvent) {
              if (task.options && typeof task.options.on === "function") {
                task.options.on(response.payload);
              }
            } else {
              delete me.processing[id];
              if (me.terminating === true) {
                me.terminate();
              }
              if (response.error) {
                task.resolver.reject(objectToError(response.error));
              } else {
                task.resolver.resolve(response.result);
              }
            }
          } else {
            var task = me.tracking[id];
            if (task !== void 0) {
              if (response.isEvent) {
                if (task.options && typeof task.options.on === "function") {
                  task.options.on(response.payload);
                }
              }
            }
          }
          if (response.method === CLEANUP_METHOD_ID) {
            var trackedTask = me.tracking[response.id];
            if (trackedTask !== void 0) {
              if (response.error) {
                clearTimeout(trackedTask.timeoutId);
                trackedTask.resolver.reject(objectToError(response.error));
              } else {
                me.tracking && clearTimeout(trackedTask.timeoutId);
                trackedTask.resolver.reject(new WrappedTimeoutError(trackedTask.error));
              }
            }
            delete me.tracking[id];
          }
        }
      });
      function onError(error2) {
        me.terminated = true;
        for (var id in me.processing) {
          if (me.processing[id] !== void 0) {
            me.processing[id].resolver.reject(error2);
          }
        }
        me.processing = /* @__PURE__ */ Object.create(null);
      }
      function dispatchQueuedRequests() {
        for (const request of me.requestQueue.splice(0)) {
          me.worker.send(request.message, request.transfer);
        }
      }
      var worker = this.worker;
      this.worker.on("error", function(error2) {
        const message = error2 && error2.message ? error2.message : String(error2 || "Unknown worker error");
        onError(new TerminateError("Workerpool Worker error: " + message, error2));
      });
      this.worker.on("exit", function(exitCode, signalCode) {
        var message = "Workerpool Worker terminated Unexpectedly\n";
        message += "    exitCode: `" + exitCode + "`\n";
        message += "    signalCode: `" + signalCode + "`\n";
        message += "    workerpool.script: `" + me.script + "`\n";
        message += "    spawnArgs: `" + worker.spawnargs + "`\n";
        message += "    spawnfile: `" + worker.spawnfile + "`\n";
        message += "    stdout: `" + worker.stdout + "`\n";
        message += "    stderr: `" + worker.stderr + "`\n";
        onError(new TerminateError(message));
      });
      this.processing = /* @__PURE__ */ Object.create(null);
      this.tracking = /* @__PURE__ */ Object.create(null);
      this.terminating = false;
      this.terminated = false;
      this.cleaning = false;
      this.terminationHandler = null;
      this.lastId = 0;
    }
    WorkerHandler.prototype.methods = function() {
      return this.exec("methods");
    };
    WorkerHandler.prototype.exec = function(method, params, resolver, options) {
      if (!resolver) {
        resolver = Promise2.defer();
      }
      var id = ++this.lastId;
      this.processing[id] = {
        id,
        resolver,
        options
      };
      var request = {
        message: {
          id,
          method,
          params
        },
        transfer: options && options.transfer
      };
      if (this.terminated) {
        resolver.reject(new TerminateError("Worker is terminated"));
      } else if (this.worker.ready) {
        this.worker.send(request.message, request.transfer);
      } else {
        this.requestQueue.push(request);
      }
      var me = this;
      return resolver.promise.catch(function(error2) {
        if (error2 instanceof Promise2.CancellationError || error2 instanceof Promise2.TimeoutError) {
          me.tracking[id] = {
            id,
            resolver: Promise2.defer(),
            options,
            error: error2
          };
          delete me.processing[id];
          me.tracking[id].resolver.promise = me.tracking[id].resolver.promise.catch(function(err) {
            delete me.tracking[id];
            if (err instanceof WrappedTimeoutError) {
              throw err.error;
            }
            var promise = me.terminateAndNotify(true).then(function() {
              throw err;
            }, function(err2) {
              throw err2;
            });
            return promise;
          });
          me.worker.send({
            id,
            method: CLEANUP_METHOD_ID
          });
          me.tracking[id].timeoutId = setTimeout(function() {
            me.tracking[id].resolver.reject(error2);
          }, me.workerTerminateTimeout);
          return me.tracking[id].resolver.promise;
        } else {
          throw error2;
        }
      });
    };
    WorkerHandler.prototype.busy = function() {
      return this.cleaning || Object.keys(this.processing).length > 0 || Object.keys(this.tracking).length > 0;
    };
    WorkerHandler.prototype.terminate = function(force, callback) {
      var me = this;
      if (force) {
        for (var id in this.processing) {
          if (this.processing[id] !== void 0) {
            this.processing[id].resolver.reject(new Error("Worker terminated"));
          }
        }
        this.processing = /* @__PURE__ */ Object.create(null);
      }
      for (var task of Object.values(me.tracking)) {
        clearTimeout(task.timeoutId);
        task.resolver.reject(new Error("Worker Terminating"));
      }
      me.tracking = /* @__PURE__ */ Object.create(null);
      if (typeof callback === "function") {
        this.terminationHandler = callback;
      }
      if (!this.busy()) {
        var cleanup = function(err) {
          me.terminated = true;
          me.cleaning = false;
          if (me.worker != null && me.worker.removeAllListeners) {
            me.worker.removeAllListeners("message");
          }
          me.worker = null;
          me.terminating = false;
          if (me.terminationHandler) {
            me.terminationHandler(err, me);
          } else if (err) {
            throw err;
          }
        };
        if (this.worker) {
          if (typeof this.worker.kill === "function") {
            if (this.worker.killed) {
              cleanup(new Error("worker already killed!"));
              return;
            }
            var cleanExitTimeout = setTimeout(function() {
              if (me.worker) {
                me.worker.kill();
              }
            }, this.workerTerminateTimeout);
            this.worker.once("exit", function() {
              clearTimeout(cleanExitTimeout);
              if (me.worker) {
                me.worker.killed = true;
              }
              cleanup();
            });
            if (this.worker.ready) {
              this.worker.send(TERMINATE_METHOD_ID);
            } else {
              this.requestQueue.push({ message: TERMINATE_METHOD_ID });
            }
            this.cleaning = true;
            return;
          } else if (typeof this.worker.terminate === "function") {
            this.worker.terminate();
            this.worker.killed = true;
          } else {
            throw new Error("Failed to terminate worker");
          }
        }
        cleanup();
      } else {
        this.terminating = true;
      }
    };
    WorkerHandler.prototype.terminateAndNotify = function(force, timeout) {
      var resolver = Promise2.defer();
      if (timeout) {
        resolver.promise.timeout(timeout);
      }
      this.terminate(force, function(err, worker) {
        if (err) {
          resolver.reject(err);
        } else {
          resolver.resolve(worker);
        }
      });
      return resolver.promise;
    };
    function WrappedTimeoutError(timeoutError) {
      this.error = timeoutError;
      this.stack = new Error().stack;
    }
    var TerminateError = class extends Error {
      /**
       * Create a timeout error
       * @param {String} [message]
       * @param {Error=} [cause]
       */
      constructor(message, cause) {
        super(message || "worker terminated");
        this.cause = cause;
      }
    };
    module2.exports = WorkerHandler;
    module2.exports._tryRequireWorkerThreads = tryRequireWorkerThreads;
    module2.exports._setupProcessWorker = setupProcessWorker;
    module2.exports._setupBrowserWorker = setupBrowserWorker;
    module2.exports._setupWorkerThreadWorker = setupWorkerThreadWorker;
    module2.exports.ensureWorkerThreads = ensureWorkerThreads;
    module2.exports.TerminateError = TerminateError;
  }
});

// node_modules/workerpool/src/queues.js
var require_queues = __commonJS({
  "node_modules/workerpool/src/queues.js"(exports2, module2) {
    function FIFOQueue() {
      this.tasks = [];
    }
    FIFOQueue.prototype.push = function(task) {
      this.tasks.push(task);
    };
    FIFOQueue.prototype.pop = function() {
      return this.tasks.shift();
    };
    FIFOQueue.prototype.size = function() {
      return this.tasks.length;
    };
    FIFOQueue.prototype.contains = function(task) {
      return this.tasks.includes(task);
    };
    FIFOQueue.prototype.clear = function() {
      this.tasks.length = 0;
    };
    function LIFOQueue() {
      this.tasks = [];
    }
    LIFOQueue.prototype.push = function(task) {
      this.tasks.push(task);
    };
    LIFOQueue.prototype.pop = function() {
      return this.tasks.pop();
    };
    LIFOQueue.prototype.size = function() {
      return this.tasks.length;
    };
    LIFOQueue.prototype.contains = function(task) {
      return this.tasks.includes(task);
    };
    LIFOQueue.prototype.clear = function() {
      this.tasks.length = 0;
    };
    module2.exports = { FIFOQueue, LIFOQueue };
  }
});

// node_modules/workerpool/src/debug-port-allocator.js
var require_debug_port_allocator = __commonJS({
  "node_modules/workerpool/src/debug-port-allocator.js"(exports2, module2) {
    "use strict";
    var MAX_PORTS = 65535;
    module2.exports = DebugPortAllocator;
    function DebugPortAllocator() {
      this.ports = /* @__PURE__ */ Object.create(null);
      this.length = 0;
    }
    DebugPortAllocator.prototype.nextAvailableStartingAt = function(starting) {
      while (this.ports[starting] === true) {
        starting++;
      }
      if (starting >= MAX_PORTS) {
        throw new Error("WorkerPool debug port limit reached: " + starting + ">= " + MAX_PORTS);
      }
      this.ports[starting] = true;
      this.length++;
      return starting;
    };
    DebugPortAllocator.prototype.releasePort = function(port) {
      delete this.ports[port];
      this.length--;
    };
  }
});

// node_modules/workerpool/src/Pool.js
var require_Pool = __commonJS({
  "node_modules/workerpool/src/Pool.js"(exports2, module2) {
    var { Promise: Promise2 } = require_Promise();
    var WorkerHandler = require_WorkerHandler();
    var environment = require_environment();
    var { FIFOQueue, LIFOQueue } = require_queues();
    var DebugPortAllocator = require_debug_port_allocator();
    var DEBUG_PORT_ALLOCATOR = new DebugPortAllocator();
    function Pool(script, options) {
      if (typeof script === "string") {
        this.script = script || null;
      } else {
        this.script = null;
        options = script;
      }
      this.workers = [];
      this.taskQueue = this._createQueue(
        options && options.queueStrategy || "fifo"
      );
      options = options || {};
      this.forkArgs = Object.freeze(options.forkArgs || []);
      this.forkOpts = Object.freeze(options.forkOpts || {});
      this.workerOpts = Object.freeze(options.workerOpts || {});
      this.workerThreadOpts = Object.freeze(options.workerThreadOpts || {});
      this.debugPortStart = options.debugPortStart || 43210;
      this.nodeWorker = options.nodeWorker;
      this.workerType = options.workerType || options.nodeWorker || "auto";
      this.maxQueueSize = options.maxQueueSize || Infinity;
      this.workerTerminateTimeout = options.workerTerminateTimeout || 1e3;
      this.onCreateWorker = options.onCreateWorker || (() => null);
      this.onTerminateWorker = options.onTerminateWorker || (() => null);
      this.emitStdStreams = options.emitStdStreams || false;
      if (options && "maxWorkers" in options) {
        validateMaxWorkers(options.maxWorkers);
        this.maxWorkers = options.maxWorkers;
      } else {
        this.maxWorkers = Math.max((environment.cpus || 4) - 1, 1);
      }
      if (options && "minWorkers" in options) {
        if (options.minWorkers === "max") {
          this.minWorkers = this.maxWorkers;
        } else {
          validateMinWorkers(options.minWorkers);
          this.minWorkers = options.minWorkers;
          this.maxWorkers = Math.max(this.minWorkers, this.maxWorkers);
        }
        this._ensureMinWorkers();
      }
      this._boundNext = this._next.bind(this);
      if (this.workerType === "thread") {
        WorkerHandler.ensureWorkerThreads();
      }
    }
    Pool.prototype.exec = function(method, params, options) {
      if (params && !Array.isArray(params)) {
        throw new TypeError('Array expected as argument "params"');
      }
      if (typeof method === "string") {
        var resolver = Promise2.defer();
        if (this.taskQueue.size() >= this.maxQueueSize) {
          throw new Error("Max queue size of " + this.maxQueueSize + " reached");
        }
        var task = {
          method,
          params,
          resolver,
          timeout: null,
          options
        };
        this.taskQueue.push(task);
        var originalTimeout = resolver.promise.timeout;
        var taskQueue = this.taskQueue;
        resolver.promise.timeout = function timeout(delay) {
          if (taskQueue.contains(task)) {
            task.timeout = delay;
            return resolver.promise;
          } else {
            return originalTimeout.call(resolver.promise, delay);
          }
        };
        this._next();
        return resolver.promise;
      } else if (typeof method === "function") {
        return this.exec("run", [String(method), params], options);
      } else {
        throw new TypeError('Function or string expected as argument "method"');
      }
    };
    Pool.prototype.proxy = function() {
      if (arguments.length > 0) {
        throw new Error("No arguments expected");
      }
      var pool = this;
      return this.exec("methods").then(function(methods) {
        var proxy = {};
        methods.forEach(function(method) {
          proxy[method] = function() {
            return pool.exec(method, Array.prototype.slice.call(arguments));
          };
        });
        return proxy;
      });
    };
    Pool.prototype._next = function() {
      if (this.taskQueue.size() > 0) {
        var worker = this._getWorker();
        if (worker) {
          var me = this;
          var task = this.taskQueue.pop();
          if (task.resolver.promise.pending) {
            var promise = worker.exec(task.method, task.params, task.resolver, task.options).then(me._boundNext).catch(function() {
              if (worker.terminated) {
                return me._removeWorker(worker);
              }
            }).then(function() {
              me._next();
            });
            if (typeof task.timeout === "number") {
              promise.timeout(task.timeout);
            }
          } else {
            me._next();
          }
        }
      }
    };
    Pool.prototype._getWorker = function() {
      var workers = this.workers;
      for (var i = 0; i < workers.length; i++) {
        var worker = workers[i];
        if (worker.busy() === false) {
          return worker;
        }
      }
      if (workers.length < this.maxWorkers) {
        worker = this._createWorkerHandler();
        workers.push(worker);
        return worker;
      }
      return null;
    };
    Pool.prototype._removeWorker = function(worker) {
      var me = this;
      DEBUG_PORT_ALLOCATOR.releasePort(worker.debugPort);
      this._removeWorkerFromList(worker);
      this._ensureMinWorkers();
      return new Promise2(function(resolve, reject) {
        worker.terminate(false, function(err) {
          me.onTerminateWorker({
            forkArgs: worker.forkArgs,
            forkOpts: worker.forkOpts,
            workerThreadOpts: worker.workerThreadOpts,
            script: worker.script
          });
          if (err) {
            reject(err);
          } else {
            resolve(worker);
          }
        });
      });
    };
    Pool.prototype._removeWorkerFromList = function(worker) {
      var index = this.workers.indexOf(worker);
      if (index !== -1) {
        this.workers.splice(index, 1);
      }
    };
    Pool.prototype.terminate = function(force, timeout) {
      var me = this;
      var taskQueue = this.taskQueue;
      while (taskQueue.size() > 0) {
        var task = taskQueue.pop();
        if (task) {
          task.resolver.reject(new Error("Pool terminated"));
        } else {
          break;
        }
      }
      taskQueue.clear();
      var f = function(worker) {
        DEBUG_PORT_ALLOCATOR.releasePort(worker.debugPort);
        this._removeWorkerFromList(worker);
      };
      var removeWorker = f.bind(this);
      var promises = [];
      var workers = this.workers.slice();
      workers.forEach(function(worker) {
        var termPromise = worker.terminateAndNotify(force, timeout).then(removeWorker).always(function() {
          me.onTerminateWorker({
            forkArgs: worker.forkArgs,
            forkOpts: worker.forkOpts,
            workerThreadOpts: worker.workerThreadOpts,
            script: worker.script
          });
        });
        promises.push(termPromise);
      });
      return Promise2.all(promises);
    };
    Pool.prototype.stats = function() {
      var totalWorkers = this.workers.length;
      var busyWorkers = this.workers.filter(function(worker) {
        return worker.busy();
      }).length;
      return {
        totalWorkers,
        busyWorkers,
        idleWorkers: totalWorkers - busyWorkers,
        pendingTasks: this.taskQueue.size(),
        activeTasks: busyWorkers
      };
    };
    Pool.prototype._ensureMinWorkers = function() {
      if (this.minWorkers) {
        for (var i = this.workers.length; i < this.minWorkers; i++) {
          this.workers.push(this._createWorkerHandler());
        }
      }
    };
    Pool.prototype._createWorkerHandler = function() {
      const overriddenParams = this.onCreateWorker({
        forkArgs: this.forkArgs,
        forkOpts: this.forkOpts,
        workerOpts: this.workerOpts,
        workerThreadOpts: this.workerThreadOpts,
        script: this.script
      }) || {};
      return new WorkerHandler(overriddenParams.script || this.script, {
        forkArgs: overriddenParams.forkArgs || this.forkArgs,
        forkOpts: overriddenParams.forkOpts || this.forkOpts,
        workerOpts: overriddenParams.workerOpts || this.workerOpts,
        workerThreadOpts: overriddenParams.workerThreadOpts || this.workerThreadOpts,
        debugPort: DEBUG_PORT_ALLOCATOR.nextAvailableStartingAt(
          this.debugPortStart
        ),
        workerType: this.workerType,
        workerTerminateTimeout: this.workerTerminateTimeout,
        emitStdStreams: this.emitStdStreams
      });
    };
    Pool.prototype._createQueue = function(strategy) {
      if (typeof strategy === "string") {
        switch (strategy) {
          case "fifo":
            return new FIFOQueue();
          case "lifo":
            return new LIFOQueue();
          default:
            throw new Error("Unknown queue strategy: " + strategy);
        }
      }
      if (!strategy) {
        throw new Error("Queue strategy cannot be null or undefined");
      }
      var requiredMethods = ["push", "pop", "size", "contains", "clear"];
      for (var i = 0; i < requiredMethods.length; i++) {
        var method = requiredMethods[i];
        if (typeof strategy[method] !== "function") {
          throw new Error("Queue strategy must implement method: " + method);
        }
      }
      return strategy;
    };
    function validateMaxWorkers(maxWorkers) {
      if (!isNumber(maxWorkers) || !isInteger(maxWorkers) || maxWorkers < 1) {
        throw new TypeError("Option maxWorkers must be an integer number >= 1");
      }
    }
    function validateMinWorkers(minWorkers) {
      if (!isNumber(minWorkers) || !isInteger(minWorkers) || minWorkers < 0) {
        throw new TypeError("Option minWorkers must be an integer number >= 0");
      }
    }
    function isNumber(value) {
      return typeof value === "number";
    }
    function isInteger(value) {
      return Math.round(value) == value;
    }
    module2.exports = Pool;
  }
});

// node_modules/workerpool/src/transfer.js
var require_transfer = __commonJS({
  "node_modules/workerpool/src/transfer.js"(exports2, module2) {
    function Transfer(message, transfer) {
      this.message = message;
      this.transfer = transfer;
    }
    module2.exports = Transfer;
  }
});

// node_modules/workerpool/src/worker.js
var require_worker = __commonJS({
  "node_modules/workerpool/src/worker.js"(exports2) {
    var Transfer = require_transfer();
    var Promise2 = require_Promise().Promise;
    var TERMINATE_METHOD_ID = "__workerpool-terminate__";
    var CLEANUP_METHOD_ID = "__workerpool-cleanup__";
    var TIMEOUT_DEFAULT = 1e3;
    var worker = {
      exit: function() {
      }
    };
    var publicWorker = {
      /**
       * Registers listeners which will trigger when a task is timed out or canceled. If all listeners resolve, the worker executing the given task will not be terminated.
       * *Note*: If there is a blocking operation within a listener, the worker will be terminated.
       * @param {() => Promise<void>} listener
      */
      addAbortListener: function(listener) {
        worker.abortListeners.push(listener);
      },
      /**
        * Emit an event from the worker thread to the main thread.
        * @param {any} payload
      */
      emit: worker.emit
    };
    if (typeof self !== "undefined" && typeof postMessage === "function" && typeof addEventListener === "function") {
      worker.on = function(event, callback) {
        addEventListener(event, function(message) {
          callback(message.data);
        });
      };
      worker.send = function(message, transfer) {
        transfer ? postMessage(message, transfer) : postMessage(message);
      };
    } else if (typeof process !== "undefined") {
      try {
        WorkerThreads = require("worker_threads");
      } catch (error2) {
        if (typeof error2 === "object" && error2 !== null && error2.code === "MODULE_NOT_FOUND") {
        } else {
          throw error2;
        }
      }
      if (WorkerThreads && /* if there is a parentPort, we are in a WorkerThread */
      WorkerThreads.parentPort !== null) {
        parentPort = WorkerThreads.parentPort;
        worker.send = parentPort.postMessage.bind(parentPort);
        worker.on = parentPort.on.bind(parentPort);
        worker.exit = process.exit.bind(process);
      } else {
        worker.on = process.on.bind(process);
        worker.send = function(message) {
          process.send(message);
        };
        worker.on("disconnect", function() {
          process.exit(1);
        });
        worker.exit = process.exit.bind(process);
      }
    } else {
      throw new Error("Script must be executed as a worker");
    }
    var WorkerThreads;
    var parentPort;
    function convertError(error2) {
      if (error2 && error2.toJSON) {
        return JSON.parse(JSON.stringify(error2));
      }
      return JSON.parse(JSON.stringify(error2, Object.getOwnPropertyNames(error2)));
    }
    function isPromise(value) {
      return value && typeof value.then === "function" && typeof value.catch === "function";
    }
    worker.methods = {};
    worker.methods.run = function run2(fn, args) {
      var f = new Function("return (" + fn + ").apply(this, arguments);");
      f.worker = publicWorker;
      return f.apply(f, args);
    };
    worker.methods.methods = function methods() {
      return Object.keys(worker.methods);
    };
    worker.terminationHandler = void 0;
    worker.abortListenerTimeout = TIMEOUT_DEFAULT;
    worker.abortListeners = [];
    worker.terminateAndExit = function(code) {
      var _exit = function() {
        worker.exit(code);
      };
      if (!worker.terminationHandler) {
        return _exit();
      }
      var result = worker.terminationHandler(code);
      if (isPromise(result)) {
        result.then(_exit, _exit);
        return result;
      } else {
        _exit();
        return new Promise2(function(_resolve, reject) {
          reject(new Error("Worker terminating"));
        });
      }
    };
    worker.cleanup = function(requestId) {
      if (!worker.abortListeners.length) {
        worker.send({
          id: requestId,
          method: CLEANUP_METHOD_ID,
          error: convertError(new Error("Worker terminating"))
        });
        return new Promise2(function(resolve) {
          resolve();
        });
      }
      var _exit = function() {
        worker.exit();
      };
      var _abort = function() {
        if (worker.abortListeners.length) {
          worker.abortListeners = [];
        }
      };
      const promises = worker.abortListeners.map((listener) => listener());
      let timerId;
      const timeoutPromise = new Promise2((_resolve, reject) => {
        timerId = setTimeout(function() {
          reject(new Error("Timeout occurred waiting for abort handler, killing worker"));
        }, worker.abortListenerTimeout);
      });
      const settlePromise = Promise2.all(promises).then(function() {
        clearTimeout(timerId);
        _abort();
      }, function() {
        clearTimeout(timerId);
        _exit();
      });
      return new Promise2(function(resolve, reject) {
        settlePromise.then(resolve, reject);
        timeoutPromise.then(resolve, reject);
      }).then(function() {
        worker.send({
          id: requestId,
          method: CLEANUP_METHOD_ID,
          error: null
        });
      }, function(err) {
        worker.send({
          id: requestId,
          method: CLEANUP_METHOD_ID,
          error: err ? convertError(err) : null
        });
      });
    };
    var currentRequestId = null;
    worker.on("message", function(request) {
      if (request === TERMINATE_METHOD_ID) {
        return worker.terminateAndExit(0);
      }
      if (request.method === CLEANUP_METHOD_ID) {
        return worker.cleanup(request.id);
      }
      try {
        var method = worker.methods[request.method];
        if (method) {
          currentRequestId = request.id;
          var result = method.apply(method, request.params);
          if (isPromise(result)) {
            result.then(function(result2) {
              if (result2 instanceof Transfer) {
                worker.send({
                  id: request.id,
                  result: result2.message,
                  error: null
                }, result2.transfer);
              } else {
                worker.send({
                  id: request.id,
                  result: result2,
                  error: null
                });
              }
              currentRequestId = null;
            }).catch(function(err) {
              worker.send({
                id: request.id,
                result: null,
                error: convertError(err)
              });
              currentRequestId = null;
            });
          } else {
            if (result instanceof Transfer) {
              worker.send({
                id: request.id,
                result: result.message,
                error: null
              }, result.transfer);
            } else {
              worker.send({
                id: request.id,
                result,
                error: null
              });
            }
            currentRequestId = null;
          }
        } else {
          throw new Error('Unknown method "' + request.method + '"');
        }
      } catch (err) {
        worker.send({
          id: request.id,
          result: null,
          error: convertError(err)
        });
      }
    });
    worker.register = function(methods, options) {
      if (methods) {
        for (var name in methods) {
          if (methods.hasOwnProperty(name)) {
            worker.methods[name] = methods[name];
            worker.methods[name].worker = publicWorker;
          }
        }
      }
      if (options) {
        worker.terminationHandler = options.onTerminate;
        worker.abortListenerTimeout = options.abortListenerTimeout || TIMEOUT_DEFAULT;
      }
      worker.send("ready");
    };
    worker.emit = function(payload) {
      if (currentRequestId) {
        if (payload instanceof Transfer) {
          worker.send({
            id: currentRequestId,
            isEvent: true,
            payload: payload.message
          }, payload.transfer);
          return;
        }
        worker.send({
          id: currentRequestId,
          isEvent: true,
          payload
        });
      }
    };
    if (typeof exports2 !== "undefined") {
      exports2.add = worker.register;
      exports2.emit = worker.emit;
    }
  }
});

// node_modules/workerpool/src/index.js
var require_src2 = __commonJS({
  "node_modules/workerpool/src/index.js"(exports2) {
    var { platform, isMainThread, cpus } = require_environment();
    var { TerminateError } = require_WorkerHandler();
    function pool(script, options) {
      var Pool = require_Pool();
      return new Pool(script, options);
    }
    exports2.pool = pool;
    function worker(methods, options) {
      var worker2 = require_worker();
      worker2.add(methods, options);
    }
    exports2.worker = worker;
    function workerEmit(payload) {
      var worker2 = require_worker();
      worker2.emit(payload);
    }
    exports2.workerEmit = workerEmit;
    var { Promise: Promise2 } = require_Promise();
    exports2.Promise = Promise2;
    exports2.Transfer = require_transfer();
    exports2.platform = platform;
    exports2.isMainThread = isMainThread;
    exports2.cpus = cpus;
    exports2.TerminateError = TerminateError;
  }
});

// node_modules/mocha/lib/nodejs/serializer.js
var serializer_exports = {};
__export(serializer_exports, {
  SerializableEvent: () => SerializableEvent,
  SerializableWorkerResult: () => SerializableWorkerResult,
  deserialize: () => deserialize,
  serialize: () => serialize
});
function serialize(value) {
  const result = (0, import_utils13.type)(value) === "object" && (0, import_utils13.type)(value.serialize) === "function" ? value.serialize() : value;
  debug4("serialized: %O", result);
  return result;
}
function deserialize(value) {
  const result = SerializableWorkerResult.isSerializedWorkerResult(value) ? SerializableWorkerResult.deserialize(value) : value;
  debug4("deserialized: %O", result);
  return result;
}
var import_utils13, import_debug4, debug4, SERIALIZABLE_RESULT_NAME, SERIALIZABLE_TYPES, SerializableWorkerResult, SerializableEvent;
var init_serializer = __esm({
  "node_modules/mocha/lib/nodejs/serializer.js"() {
    import_utils13 = __toESM(require_utils(), 1);
    init_errors();
    import_debug4 = __toESM(require_src(), 1);
    debug4 = import_debug4.default.debug("mocha:serializer");
    SERIALIZABLE_RESULT_NAME = "SerializableWorkerResult";
    SERIALIZABLE_TYPES = /* @__PURE__ */ new Set(["object", "array", "function", "error"]);
    SerializableWorkerResult = class _SerializableWorkerResult {
      /**
       * Creates instance props; of note, the `__type` prop.
       *
       * Note that the failure count is _redundant_ and could be derived from the
       * list of events; but since we're already doing the work, might as well use
       * it.
       * @param {SerializableEvent[]} [events=[]] - Events to eventually serialize
       * @param {number} [failureCount=0] - Failure count
       */
      constructor(events = [], failureCount = 0) {
        this.failureCount = failureCount;
        this.events = events;
        Object.defineProperty(this, "__type", {
          value: SERIALIZABLE_RESULT_NAME,
          enumerable: true,
          writable: false
        });
      }
      /**
       * Instantiates a new {@link SerializableWorkerResult}.
       * @param {...any} args - Args to constructor
       * @returns {SerializableWorkerResult}
       */
      static create(...args) {
        return new _SerializableWorkerResult(...args);
      }
      /**
       * Serializes each {@link SerializableEvent} in our `events` prop;
       * makes this object read-only.
       * @returns {Readonly<SerializableWorkerResult>}
       */
      serialize() {
        this.events.forEach((event) => {
          event.serialize();
        });
        return Object.freeze(this);
      }
      /**
       * Deserializes a {@link SerializedWorkerResult} into something reporters can
       * use; calls {@link SerializableEvent.deserialize} on each item in its
       * `events` prop.
       * @param {SerializedWorkerResult} obj
       * @returns {SerializedWorkerResult}
       */
      static deserialize(obj) {
        obj.events.forEach((event) => {
          SerializableEvent.deserialize(event);
        });
        return obj;
      }
      /**
       * Returns `true` if this is a {@link SerializedWorkerResult} or a
       * {@link SerializableWorkerResult}.
       * @param {*} value - A value to check
       * @returns {boolean} If true, it's deserializable
       */
      static isSerializedWorkerResult(value) {
        return value instanceof _SerializableWorkerResult || (0, import_utils13.type)(value) === "object" && value.__type === SERIALIZABLE_RESULT_NAME;
      }
    };
    SerializableEvent = class _SerializableEvent {
      /**
       * Constructs a `SerializableEvent`, throwing if we receive unexpected data.
       *
       * Practically, events emitted from `Runner` have a minimum of zero (0)
       * arguments-- (for example, {@link Runnable.constants.EVENT_RUN_BEGIN}) and a
       * maximum of two (2) (for example,
       * {@link Runnable.constants.EVENT_TEST_FAIL}, where the second argument is an
       * `Error`).  The first argument, if present, is a {@link Runnable}. This
       * constructor's arguments adhere to this convention.
       * @param {string} eventName - A non-empty event name.
       * @param {any} [originalValue] - Some data. Corresponds to extra arguments
       * passed to `EventEmitter#emit`.
       * @param {Error} [originalError] - An error, if there's an error.
       * @throws If `eventName` is empty, or `originalValue` is a non-object.
       */
      constructor(eventName, originalValue, originalError) {
        if (!eventName) {
          throw createInvalidArgumentTypeError(
            "Empty `eventName` string argument",
            "eventName",
            "string"
          );
        }
        this.eventName = eventName;
        const originalValueType = (0, import_utils13.type)(originalValue);
        if (originalValueType !== "object" && originalValueType !== "undefined") {
          throw createInvalidArgumentTypeError(
            `Expected object but received ${originalValueType}`,
            "originalValue",
            "object"
          );
        }
        Object.defineProperty(this, "originalError", {
          value: originalError,
          enumerable: false
        });
        Object.defineProperty(this, "originalValue", {
          value: originalValue,
          enumerable: false
        });
      }
      /**
       * In case you hated using `new` (I do).
       *
       * @param  {...any} args - Args for {@link SerializableEvent#constructor}.
       * @returns {SerializableEvent} A new `SerializableEvent`
       */
      static create(...args) {
        return new _SerializableEvent(...args);
      }
      /**
       * Used internally by {@link SerializableEvent#serialize}.
       * @ignore
       * @param {Array<object|string>} pairs - List of parent/key tuples to process; modified in-place. This JSDoc type is an approximation
       * @param {object} parent - Some parent object
       * @param {string} key - Key to inspect
       */
      static _serialize(pairs, parent, key) {
        let value = parent[key];
        let _type = (0, import_utils13.type)(value);
        if (_type === "error") {
          value = Object.assign(/* @__PURE__ */ Object.create(null), value, {
            stack: value.stack,
            message: value.message,
            __type: "Error"
          });
          parent[key] = value;
          _type = "object";
        }
        switch (_type) {
          case "object":
            if ((0, import_utils13.type)(value.serialize) === "function") {
              parent[key] = value.serialize();
            } else {
              pairs.push(
                ...Object.keys(value).filter((key2) => SERIALIZABLE_TYPES.has((0, import_utils13.type)(value[key2]))).map((key2) => [value, key2])
              );
            }
            break;
          case "function":
            delete parent[key];
            break;
          case "array":
            pairs.push(
              ...value.filter((value2) => SERIALIZABLE_TYPES.has((0, import_utils13.type)(value2))).map((value2, index) => [value2, index])
            );
            break;
        }
      }
      /**
       * Modifies this object *in place* (for theoretical memory consumption &
       * performance reasons); serializes `SerializableEvent#originalValue` (placing
       * the result in `SerializableEvent#data`) and `SerializableEvent#error`.
       * Freezes this object. The result is an object that can be transmitted over
       * IPC.
       * If this quickly becomes unmaintainable, we will want to move towards immutable
       * objects post-haste.
       */
      serialize() {
        const originalValue = this.originalValue;
        const result = Object.assign(/* @__PURE__ */ Object.create(null), {
          data: (0, import_utils13.type)(originalValue) === "object" && (0, import_utils13.type)(originalValue.serialize) === "function" ? originalValue.serialize() : originalValue,
          error: this.originalError
        });
        (0, import_utils13.breakCircularDeps)(result.error);
        const pairs = Object.keys(result).map((key) => [result, key]);
        const seenPairs = /* @__PURE__ */ new Set();
        let pair;
        while (pair = pairs.shift()) {
          if (seenPairs.has(pair[1])) {
            continue;
          }
          seenPairs.add(pair[1]);
          _SerializableEvent._serialize(pairs, ...pair);
        }
        this.data = result.data;
        this.error = result.error;
        return Object.freeze(this);
      }
      /**
       * Used internally by {@link SerializableEvent.deserialize}; creates an `Error`
       * from an `Error`-like (serialized) object
       * @ignore
       * @param {Object} value - An Error-like value
       * @returns {Error} Real error
       */
      static _deserializeError(value) {
        const error2 = new Error(value.message);
        error2.stack = value.stack;
        Object.assign(error2, value);
        delete error2.__type;
        return error2;
      }
      /**
       * Used internally by {@link SerializableEvent.deserialize}; recursively
       * deserializes an object in-place.
       * @param {object|Array} parent - Some object or array
       * @param {string|number} key - Some prop name or array index within `parent`
       */
      static _deserializeObject(parent, key) {
        if (key === "__proto__") {
          delete parent[key];
          return;
        }
        const value = parent[key];
        if ((0, import_utils13.type)(key) === "string" && key.startsWith("$$")) {
          const newKey = key.slice(2);
          parent[newKey] = () => value;
          delete parent[key];
          key = newKey;
        }
        if ((0, import_utils13.type)(value) === "array") {
          value.forEach((_, idx) => {
            _SerializableEvent._deserializeObject(value, idx);
          });
        } else if ((0, import_utils13.type)(value) === "object") {
          if (value.__type === "Error") {
            parent[key] = _SerializableEvent._deserializeError(value);
          } else {
            Object.keys(value).forEach((key2) => {
              _SerializableEvent._deserializeObject(value, key2);
            });
          }
        }
      }
      /**
       * Deserialize value returned from a worker into something more useful.
       * Does not return the same object.
       * @todo do this in a loop instead of with recursion (if necessary)
       * @param {SerializedEvent} obj - Object returned from worker
       * @returns {SerializedEvent} Deserialized result
       */
      static deserialize(obj) {
        if (!obj) {
          throw createInvalidArgumentTypeError("Expected value", obj);
        }
        obj = Object.assign(/* @__PURE__ */ Object.create(null), obj);
        if (obj.data) {
          Object.keys(obj.data).forEach((key) => {
            _SerializableEvent._deserializeObject(obj.data, key);
          });
        }
        if (obj.error) {
          obj.error = _SerializableEvent._deserializeError(obj.error);
        }
        return obj;
      }
    };
  }
});

// node_modules/mocha/lib/nodejs/buffered-worker-pool.cjs
var require_buffered_worker_pool = __commonJS({
  "node_modules/mocha/lib/nodejs/buffered-worker-pool.cjs"(exports2) {
    "use strict";
    var serializeJavascript = require_serialize_javascript();
    var workerpool = require_src2();
    var { deserialize: deserialize2 } = (init_serializer(), __toCommonJS(serializer_exports));
    var debug5 = require_src()("mocha:parallel:buffered-worker-pool");
    var { createInvalidArgumentTypeError: createInvalidArgumentTypeError2 } = (init_errors(), __toCommonJS(errors_exports));
    var WORKER_PATH = require.resolve("./worker.cjs");
    var optionsCache = /* @__PURE__ */ new WeakMap();
    var WORKER_POOL_DEFAULT_OPTS = {
      // use child processes, not worker threads!
      workerType: "process",
      // ensure the same flags sent to `node` for this `mocha` invocation are passed
      // along to children
      forkOpts: { execArgv: process.execArgv },
      maxWorkers: workerpool.cpus - 1
    };
    var BufferedWorkerPool = class _BufferedWorkerPool {
      /**
       * Creates an underlying worker pool instance; determines max worker count
       * @param {Partial<WorkerPoolOptions>} [opts] - Options
       */
      constructor(opts = {}) {
        const maxWorkers = Math.max(
          1,
          typeof opts.maxWorkers === "undefined" ? WORKER_POOL_DEFAULT_OPTS.maxWorkers : opts.maxWorkers
        );
        if (workerpool.cpus < 2) {
          debug5(
            "not enough CPU cores available to run multiple jobs; avoid --parallel on this machine"
          );
        } else if (maxWorkers >= workerpool.cpus) {
          debug5(
            "%d concurrent job(s) requested, but only %d core(s) available",
            maxWorkers,
            workerpool.cpus
          );
        }
        debug5(
          "run(): starting worker pool of max size %d, using node args: %s",
          maxWorkers,
          process.execArgv.join(" ")
        );
        let counter = 0;
        const onCreateWorker = ({ forkOpts }) => {
          return {
            forkOpts: {
              ...forkOpts,
              // adds an incremental id to all workers, which can be useful to allocate resources for each process
              env: { ...process.env, MOCHA_WORKER_ID: counter++ }
            }
          };
        };
        this.options = {
          ...WORKER_POOL_DEFAULT_OPTS,
          ...opts,
          maxWorkers,
          onCreateWorker
        };
        this._pool = workerpool.pool(WORKER_PATH, this.options);
      }
      /**
       * Terminates all workers in the pool.
       * @param {boolean} [force] - Whether to force-kill workers. By default, lets workers finish their current task before termination.
       * @private
       * @returns {Promise<void>}
       */
      async terminate(force = false) {
        debug5("terminate(): terminating with force = %s", force);
        return this._pool.terminate(force);
      }
      /**
       * Adds a test file run to the worker pool queue for execution by a worker process.
       *
       * Handles serialization/deserialization.
       *
       * @param {string} filepath - Filepath of test
       * @param {MochaOptions} [options] - Options for Mocha instance
       * @private
       * @returns {Promise<SerializedWorkerResult>}
       */
      async run(filepath, options = {}) {
        if (!filepath || typeof filepath !== "string") {
          throw createInvalidArgumentTypeError2(
            "Expected a non-empty filepath",
            "filepath",
            "string"
          );
        }
        const serializedOptions = _BufferedWorkerPool.serializeOptions(options);
        const result = await this._pool.exec("run", [filepath, serializedOptions]);
        return deserialize2(result);
      }
      /**
       * Returns stats about the state of the worker processes in the pool.
       *
       * Used for debugging.
       *
       * @private
       */
      stats() {
        return this._pool.stats();
      }
      /**
       * Instantiates a {@link WorkerPool}.
       * @private
       */
      static create(...args) {
        return new _BufferedWorkerPool(...args);
      }
      /**
       * Given Mocha options object `opts`, serialize into a format suitable for
       * transmission over IPC.
       *
       * @param {MochaOptions} [opts] - Mocha options
       * @private
       * @returns {string} Serialized options
       */
      static serializeOptions(opts = {}) {
        if (!optionsCache.has(opts)) {
          const serialized = serializeJavascript(opts, {
            unsafe: true,
            // this means we don't care about XSS
            ignoreFunction: true
            // do not serialize functions
          });
          optionsCache.set(opts, serialized);
          debug5(
            "serializeOptions(): serialized options %O to: %s",
            opts,
            serialized
          );
        }
        return optionsCache.get(opts);
      }
      /**
       * Resets internal cache of serialized options objects.
       *
       * For testing/debugging
       * @private
       */
      static resetOptionsCache() {
        optionsCache = /* @__PURE__ */ new WeakMap();
      }
    };
    exports2.BufferedWorkerPool = BufferedWorkerPool;
  }
});

// node_modules/mocha/lib/nodejs/parallel-buffered-runner.cjs
var require_parallel_buffered_runner = __commonJS({
  "node_modules/mocha/lib/nodejs/parallel-buffered-runner.cjs"(exports2, module2) {
    "use strict";
    var { Runner: Runner2 } = (init_runner(), __toCommonJS(runner_exports));
    var { EVENT_RUN_BEGIN: EVENT_RUN_BEGIN11, EVENT_RUN_END: EVENT_RUN_END15 } = Runner2.constants;
    var debug5 = require_src()("mocha:parallel:parallel-buffered-runner");
    var { BufferedWorkerPool } = require_buffered_worker_pool();
    var { setInterval, clearInterval } = global;
    var { createMap, constants: constants19 } = require_utils();
    var { MOCHA_ID_PROP_NAME: MOCHA_ID_PROP_NAME4 } = constants19;
    var { createFatalError: createFatalError2 } = (init_errors(), __toCommonJS(errors_exports));
    var DEFAULT_WORKER_REPORTER = require.resolve("./reporters/parallel-buffered.cjs");
    var DENY_OPTIONS = [
      "globalSetup",
      "globalTeardown",
      "parallel",
      "p",
      "jobs",
      "j"
    ];
    var debugStats = (pool) => {
      const { totalWorkers, busyWorkers, idleWorkers, pendingTasks } = pool.stats();
      debug5(
        "%d/%d busy workers; %d idle; %d tasks queued",
        busyWorkers,
        totalWorkers,
        idleWorkers,
        pendingTasks
      );
    };
    var DEBUG_STATS_INTERVAL = 5e3;
    var ABORTED = "ABORTED";
    var IDLE = "IDLE";
    var ABORTING = "ABORTING";
    var RUNNING = "RUNNING";
    var BAILING = "BAILING";
    var BAILED = "BAILED";
    var COMPLETE = "COMPLETE";
    var states = createMap({
      [IDLE]: /* @__PURE__ */ new Set([RUNNING, ABORTING]),
      [RUNNING]: /* @__PURE__ */ new Set([COMPLETE, BAILING, ABORTING]),
      [COMPLETE]: /* @__PURE__ */ new Set(),
      [ABORTED]: /* @__PURE__ */ new Set(),
      [ABORTING]: /* @__PURE__ */ new Set([ABORTED]),
      [BAILING]: /* @__PURE__ */ new Set([BAILED, ABORTING]),
      [BAILED]: /* @__PURE__ */ new Set([COMPLETE, ABORTING])
    });
    var ParallelBufferedRunner = class extends Runner2 {
      constructor(...args) {
        super(...args);
        let state = IDLE;
        Object.defineProperty(this, "_state", {
          get() {
            return state;
          },
          set(newState) {
            if (states[state].has(newState)) {
              state = newState;
            } else {
              throw new Error(`invalid state transition: ${state} => ${newState}`);
            }
          }
        });
        this._workerReporter = DEFAULT_WORKER_REPORTER;
        this._linkPartialObjects = false;
        this._linkedObjectMap = /* @__PURE__ */ new Map();
        this.once(Runner2.constants.EVENT_RUN_END, () => {
          this._state = COMPLETE;
        });
      }
      /**
       * Returns a mapping function to enqueue a file in the worker pool and return results of its execution.
       * @param {BufferedWorkerPool} pool - Worker pool
       * @param {RunnerOptions} options - Mocha options
       * @returns {FileRunner} Mapping function
       * @private
       */
      _createFileRunner(pool, options) {
        const emitEvent = (event, failureCount) => {
          this.emit(event.eventName, event.data, event.error);
          if (this._state !== BAILING && event.data && event.data._bail && (failureCount || event.error)) {
            debug5("run(): nonzero failure count & found bail flag");
            this._state = BAILING;
          }
        };
        const linkEvent = (event) => {
          const stack = [{ parent: event, prop: "data" }];
          while (stack.length) {
            const { parent, prop } = stack.pop();
            const obj = parent[prop];
            let newObj;
            if (obj && typeof obj === "object") {
              if (obj[MOCHA_ID_PROP_NAME4]) {
                const id = obj[MOCHA_ID_PROP_NAME4];
                newObj = this._linkedObjectMap.has(id) ? Object.assign(this._linkedObjectMap.get(id), obj) : obj;
                this._linkedObjectMap.set(id, newObj);
                parent[prop] = newObj;
              } else {
                throw createFatalError2(
                  "Object missing ID received in event data",
                  obj
                );
              }
            }
            Object.keys(newObj).forEach((key) => {
              const value = obj[key];
              if (value && typeof value === "object" && value[MOCHA_ID_PROP_NAME4]) {
                stack.push({ obj: value, parent: newObj, prop: key });
              }
            });
          }
        };
        return async (file) => {
          debug5("run(): enqueueing test file %s", file);
          try {
            const { failureCount, events } = await pool.run(file, options);
            if (this._state === BAILED) {
              return;
            }
            debug5(
              "run(): completed run of file %s; %d failures / %d events",
              file,
              failureCount,
              events.length
            );
            this.failures += failureCount;
            let event = events.shift();
            if (this._linkPartialObjects) {
              while (event) {
                linkEvent(event);
                emitEvent(event, failureCount);
                event = events.shift();
              }
            } else {
              while (event) {
                emitEvent(event, failureCount);
                event = events.shift();
              }
            }
            if (this._state === BAILING) {
              debug5('run(): terminating pool due to "bail" flag');
              this._state = BAILED;
              await pool.terminate();
            }
          } catch (err) {
            if (this._state === BAILED || this._state === ABORTING) {
              debug5(
                "run(): worker pool terminated with intent; skipping file %s",
                file
              );
            } else {
              debug5("run(): encountered uncaught exception: %O", err);
              if (this.allowUncaught) {
                this._state = ABORTING;
                await pool.terminate(true);
              }
              if (err && typeof err === "object") {
                try {
                  err.file = file;
                } catch {
                }
              }
              throw err;
            }
          } finally {
            debug5("run(): done running file %s", file);
          }
        };
      }
      /**
       * Listen on `Process.SIGINT`; terminate pool if caught.
       * Returns the listener for later call to `process.removeListener()`.
       * @param {BufferedWorkerPool} pool - Worker pool
       * @returns {SigIntListener} Listener
       * @private
       */
      _bindSigIntListener(pool) {
        const sigIntListener = async () => {
          debug5("run(): caught a SIGINT");
          this._state = ABORTING;
          try {
            debug5("run(): force-terminating worker pool");
            await pool.terminate(true);
          } catch (err) {
            console.error(
              `Error while attempting to force-terminate worker pool: ${err}`
            );
            process.exitCode = 1;
          } finally {
            process.nextTick(() => {
              debug5("run(): imminent death");
              this._state = ABORTED;
              process.kill(process.pid, "SIGINT");
            });
          }
        };
        process.once("SIGINT", sigIntListener);
        return sigIntListener;
      }
      /**
       * Runs Mocha tests by creating a thread pool, then delegating work to the
       * worker threads.
       *
       * Each worker receives one file, and as workers become available, they take a
       * file from the queue and run it. The worker thread execution is treated like
       * an RPC--it returns a `Promise` containing serialized information about the
       * run.  The information is processed as it's received, and emitted to a
       * {@link Reporter}, which is likely listening for these events.
       *
       * @param {Function} callback - Called with an exit code corresponding to
       * number of test failures.
       * @param {RunnerOptions} [opts] - options
       */
      run(callback, { files, options = {} } = {}) {
        let sigIntListener;
        options = { ...options, reporter: this._workerReporter };
        (async () => {
          let debugInterval;
          let pool;
          try {
            pool = BufferedWorkerPool.create({ maxWorkers: options.jobs });
            sigIntListener = this._bindSigIntListener(pool);
            debugInterval = setInterval(
              () => debugStats(pool),
              DEBUG_STATS_INTERVAL
            ).unref();
            this.started = true;
            this._state = RUNNING;
            this.emit(EVENT_RUN_BEGIN11);
            options = { ...options };
            DENY_OPTIONS.forEach((opt) => {
              delete options[opt];
            });
            const results = await Promise.allSettled(
              files.map(this._createFileRunner(pool, options))
            );
            await pool.terminate();
            results.filter(({ status }) => status === "rejected").forEach(({ reason }) => {
              if (this.allowUncaught) {
                throw reason;
              }
              this.uncaught(reason);
            });
            if (this._state === ABORTING) {
              return;
            }
            this.emit(EVENT_RUN_END15);
            debug5("run(): completing with failure count %d", this.failures);
            callback(this.failures);
          } catch (err) {
            process.nextTick(() => {
              debug5("run(): re-throwing uncaught exception");
              throw err;
            });
          } finally {
            clearInterval(debugInterval);
            process.removeListener("SIGINT", sigIntListener);
          }
        })();
        return this;
      }
      /**
       * Toggle partial object linking behavior; used for building object references from
       * unique ID's.
       * @param {boolean} [value] - If `true`, enable partial object linking, otherwise disable
       * @returns {Runner}
       * @chainable
       * @public
       * @example
       * // this reporter needs proper object references when run in parallel mode
       * class MyReporter() {
       *   constructor(runner) {
       *     runner.linkPartialObjects(true)
       *       .on(EVENT_SUITE_BEGIN, suite => {
       *         // this Suite may be the same object...
       *       })
       *       .on(EVENT_TEST_BEGIN, test => {
       *         // ...as the `test.parent` property
       *       });
       *   }
       * }
       */
      linkPartialObjects(value) {
        this._linkPartialObjects = Boolean(value);
        return super.linkPartialObjects(value);
      }
      /**
       * If this class is the `Runner` in use, then this is going to return `true`.
       *
       * For use by reporters.
       * @returns {true}
       * @public
       */
      isParallelMode() {
        return true;
      }
      /**
       * Configures an alternate reporter for worker processes to use. Subclasses
       * using worker processes should implement this.
       * @public
       * @param {string} path - Absolute path to alternate reporter for worker processes to use
       * @returns {Runner}
       * @throws When in serial mode
       * @chainable
       */
      workerReporter(reporter) {
        this._workerReporter = reporter;
        return this;
      }
    };
    module2.exports = ParallelBufferedRunner;
  }
});

// node_modules/mocha/lib/mocha.cjs
var require_mocha = __commonJS({
  "node_modules/mocha/lib/mocha.cjs"(exports2, module2) {
    "use strict";
    var { escapeRegExp: escapeRegExp2 } = (init_regexp(), __toCommonJS(regexp_exports));
    var path4 = require("node:path");
    var builtinReporters = require_reporters();
    var utils12 = require_utils();
    var mocharc = require_mocharc();
    var { Suite: Suite2 } = (init_suite(), __toCommonJS(suite_exports));
    var esmUtils = require_esm_utils();
    var createStatsCollector2 = (init_stats_collector(), __toCommonJS(stats_collector_exports)).createStatsCollector;
    var {
      createInvalidReporterError: createInvalidReporterError2,
      createInvalidInterfaceError: createInvalidInterfaceError2,
      createMochaInstanceAlreadyDisposedError: createMochaInstanceAlreadyDisposedError2,
      createMochaInstanceAlreadyRunningError: createMochaInstanceAlreadyRunningError2,
      createUnsupportedError: createUnsupportedError4
    } = (init_errors(), __toCommonJS(errors_exports));
    var { EVENT_FILE_PRE_REQUIRE: EVENT_FILE_PRE_REQUIRE4, EVENT_FILE_POST_REQUIRE, EVENT_FILE_REQUIRE } = Suite2.constants;
    var debug5 = require_src()("mocha:mocha");
    exports2 = module2.exports = Mocha;
    module2.exports.Mocha = Mocha;
    var mochaStates = utils12.defineConstants({
      /**
       * Initial state of the mocha instance
       * @private
       */
      INIT: "init",
      /**
       * Mocha instance is running tests
       * @private
       */
      RUNNING: "running",
      /**
       * Mocha instance is done running tests and references to test functions and hooks are cleaned.
       * You can reset this state by unloading the test files.
       * @private
       */
      REFERENCES_CLEANED: "referencesCleaned",
      /**
       * Mocha instance is disposed and can no longer be used.
       * @private
       */
      DISPOSED: "disposed"
    });
    if (!utils12.isBrowser() && typeof module2.paths !== "undefined") {
      cwd = utils12.cwd();
      module2.paths.push(cwd, path4.join(cwd, "node_modules"));
    }
    var cwd;
    exports2.utils = utils12;
    exports2.interfaces = { ...(init_interfaces(), __toCommonJS(interfaces_exports)) };
    exports2.reporters = builtinReporters;
    exports2.Runnable = (init_runnable(), __toCommonJS(runnable_exports)).Runnable;
    exports2.Context = (init_context(), __toCommonJS(context_exports)).Context;
    exports2.Runner = (init_runner(), __toCommonJS(runner_exports)).Runner;
    exports2.Suite = Suite2;
    exports2.Hook = (init_hook(), __toCommonJS(hook_exports)).Hook;
    exports2.Test = (init_test(), __toCommonJS(test_exports)).Test;
    var currentContext;
    exports2.afterEach = function(...args) {
      return (currentContext.afterEach || currentContext.teardown).apply(
        this,
        args
      );
    };
    exports2.after = function(...args) {
      return (currentContext.after || currentContext.suiteTeardown).apply(
        this,
        args
      );
    };
    exports2.beforeEach = function(...args) {
      return (currentContext.beforeEach || currentContext.setup).apply(this, args);
    };
    exports2.before = function(...args) {
      return (currentContext.before || currentContext.suiteSetup).apply(this, args);
    };
    exports2.describe = function(...args) {
      return (currentContext.describe || currentContext.suite).apply(this, args);
    };
    exports2.describe.only = function(...args) {
      return (currentContext.describe || currentContext.suite).only.apply(
        this,
        args
      );
    };
    exports2.describe.skip = function(...args) {
      return (currentContext.describe || currentContext.suite).skip.apply(
        this,
        args
      );
    };
    exports2.it = function(...args) {
      return (currentContext.it || currentContext.test).apply(this, args);
    };
    exports2.it.only = function(...args) {
      return (currentContext.it || currentContext.test).only.apply(this, args);
    };
    exports2.it.skip = function(...args) {
      return (currentContext.it || currentContext.test).skip.apply(this, args);
    };
    exports2.xdescribe = exports2.describe.skip;
    exports2.xit = exports2.it.skip;
    exports2.setup = exports2.beforeEach;
    exports2.suiteSetup = exports2.before;
    exports2.suiteTeardown = exports2.after;
    exports2.suite = exports2.describe;
    exports2.teardown = exports2.afterEach;
    exports2.test = exports2.it;
    exports2.run = function(...args) {
      return currentContext.run.apply(this, args);
    };
    function Mocha(options = {}) {
      options = { ...mocharc, ...options };
      this.files = [];
      this.options = options;
      this.suite = new exports2.Suite("", new exports2.Context(), true);
      this._cleanReferencesAfterRun = true;
      this._state = mochaStates.INIT;
      this.grep(options.grep).fgrep(options.fgrep).ui(options.ui).reporter(
        options.reporter,
        options["reporter-option"] || options.reporterOption || options.reporterOptions
        // for backwards compatibility
      ).slow(options.slow).global(options.global);
      if (typeof options.timeout !== "undefined") {
        this.timeout(options.timeout === false ? 0 : options.timeout);
      }
      if ("retries" in options) {
        this.retries(options.retries);
      }
      [
        "allowUncaught",
        "asyncOnly",
        "bail",
        "checkLeaks",
        "color",
        "delay",
        "diff",
        "dryRun",
        "passOnFailingTestSuite",
        "failZero",
        "forbidOnly",
        "forbidPending",
        "fullTrace",
        "inlineDiffs",
        "invert"
      ].forEach(function(opt) {
        if (options[opt]) {
          this[opt]();
        }
      }, this);
      if (options.rootHooks) {
        this.rootHooks(options.rootHooks);
      }
      this._runnerClass = exports2.Runner;
      this._lazyLoadFiles = false;
      this.isWorker = Boolean(options.isWorker);
      this.globalSetup(options.globalSetup).globalTeardown(options.globalTeardown).enableGlobalSetup(options.enableGlobalSetup).enableGlobalTeardown(options.enableGlobalTeardown);
      if (options.parallel && (typeof options.jobs === "undefined" || options.jobs > 1)) {
        debug5("attempting to enable parallel mode");
        this.parallelMode(true);
      }
    }
    Mocha.prototype.bail = function(bail) {
      this.suite.bail(bail !== false);
      return this;
    };
    Mocha.prototype.addFile = function(file) {
      this.files.push(file);
      return this;
    };
    Mocha.prototype.reporter = function(reporterName, reporterOptions) {
      if (typeof reporterName === "function") {
        this._reporter = reporterName;
      } else {
        reporterName = reporterName || "spec";
        var reporter;
        if (builtinReporters[reporterName]) {
          reporter = builtinReporters[reporterName];
        }
        if (!reporter) {
          let foundReporter;
          try {
            foundReporter = require.resolve(reporterName);
            reporter = require(foundReporter);
          } catch (err) {
            if (foundReporter) {
              throw createInvalidReporterError2(err.message, foundReporter);
            }
            try {
              reporter = require(path4.resolve(reporterName));
            } catch (err2) {
              throw createInvalidReporterError2(err2.message, reporterName);
            }
          }
        }
        if (reporter.default) {
          reporter = reporter.default;
        }
        this._reporter = reporter;
      }
      this.options.reporterOption = reporterOptions;
      this.options.reporterOptions = reporterOptions;
      return this;
    };
    Mocha.prototype.ui = function(ui) {
      var bindInterface;
      if (typeof ui === "function") {
        bindInterface = ui;
      } else {
        ui = ui || "bdd";
        bindInterface = exports2.interfaces[ui];
        if (!bindInterface) {
          try {
            bindInterface = require(ui);
          } catch {
            throw createInvalidInterfaceError2(`invalid interface '${ui}'`, ui);
          }
        }
      }
      if (bindInterface.default) {
        bindInterface = bindInterface.default;
      }
      bindInterface(this.suite);
      this.suite.on(EVENT_FILE_PRE_REQUIRE4, function(context) {
        currentContext = context;
      });
      return this;
    };
    Mocha.prototype.loadFiles = function(fn) {
      var self2 = this;
      var suite = this.suite;
      this.files.forEach(function(file) {
        file = path4.resolve(file);
        suite.emit(EVENT_FILE_PRE_REQUIRE4, global, file, self2);
        suite.emit(EVENT_FILE_REQUIRE, require(file), file, self2);
        suite.emit(EVENT_FILE_POST_REQUIRE, global, file, self2);
      });
      fn && fn();
    };
    Mocha.prototype.loadFilesAsync = function({ esmDecorator } = {}) {
      var self2 = this;
      var suite = this.suite;
      this.lazyLoadFiles(true);
      return esmUtils.loadFilesAsync(
        this.files,
        function(file) {
          suite.emit(EVENT_FILE_PRE_REQUIRE4, global, file, self2);
        },
        function(file, resultModule) {
          suite.emit(EVENT_FILE_REQUIRE, resultModule, file, self2);
          suite.emit(EVENT_FILE_POST_REQUIRE, global, file, self2);
        },
        esmDecorator
      );
    };
    Mocha.unloadFile = function(file) {
      if (utils12.isBrowser()) {
        throw createUnsupportedError4(
          "unloadFile() is only supported in a Node.js environment"
        );
      }
      const { unloadFile: unloadFile2 } = (init_file_unloader(), __toCommonJS(file_unloader_exports));
      return unloadFile2(file);
    };
    Mocha.prototype.unloadFiles = function() {
      if (this._state === mochaStates.DISPOSED) {
        throw createMochaInstanceAlreadyDisposedError2(
          "Mocha instance is already disposed, it cannot be used again.",
          this._cleanReferencesAfterRun,
          this
        );
      }
      this.files.forEach(function(file) {
        Mocha.unloadFile(file);
      });
      this._state = mochaStates.INIT;
      return this;
    };
    Mocha.prototype.fgrep = function(str) {
      if (!str) {
        return this;
      }
      return this.grep(new RegExp(escapeRegExp2(str)));
    };
    Mocha.prototype.grep = function(re) {
      if (utils12.isString(re)) {
        var arg = re.match(/^\/(.*)\/([a-z]*)$|.*/);
        this.options.grep = new RegExp(arg[1] || arg[0], arg[2]);
      } else {
        this.options.grep = re;
      }
      return this;
    };
    Mocha.prototype.invert = function() {
      this.options.invert = true;
      return this;
    };
    Mocha.prototype.checkLeaks = function(checkLeaks) {
      this.options.checkLeaks = checkLeaks !== false;
      return this;
    };
    Mocha.prototype.cleanReferencesAfterRun = function(cleanReferencesAfterRun) {
      this._cleanReferencesAfterRun = cleanReferencesAfterRun !== false;
      return this;
    };
    Mocha.prototype.dispose = function() {
      if (this._state === mochaStates.RUNNING) {
        throw createMochaInstanceAlreadyRunningError2(
          "Cannot dispose while the mocha instance is still running tests."
        );
      }
      this.unloadFiles();
      this._previousRunner && this._previousRunner.dispose();
      this.suite.dispose();
      this._state = mochaStates.DISPOSED;
    };
    Mocha.prototype.fullTrace = function(fullTrace) {
      this.options.fullTrace = fullTrace !== false;
      return this;
    };
    Mocha.prototype.global = function(global2) {
      this.options.global = (this.options.global || []).concat(global2).filter(Boolean).filter(function(elt, idx, arr) {
        return arr.indexOf(elt) === idx;
      });
      return this;
    };
    Mocha.prototype.globals = Mocha.prototype.global;
    Mocha.prototype.color = function(color5) {
      this.options.color = color5 !== false;
      return this;
    };
    Mocha.prototype.inlineDiffs = function(inlineDiffs) {
      this.options.inlineDiffs = inlineDiffs !== false;
      return this;
    };
    Mocha.prototype.diff = function(diff) {
      this.options.diff = diff !== false;
      return this;
    };
    Mocha.prototype.timeout = function(msecs) {
      this.suite.timeout(msecs);
      return this;
    };
    Mocha.prototype.retries = function(retry) {
      this.suite.retries(retry);
      return this;
    };
    Mocha.prototype.slow = function(msecs) {
      this.suite.slow(msecs);
      return this;
    };
    Mocha.prototype.asyncOnly = function(asyncOnly) {
      this.options.asyncOnly = asyncOnly !== false;
      return this;
    };
    Mocha.prototype.noHighlighting = function() {
      this.options.noHighlighting = true;
      return this;
    };
    Mocha.prototype.allowUncaught = function(allowUncaught) {
      this.options.allowUncaught = allowUncaught !== false;
      return this;
    };
    Mocha.prototype.delay = function delay() {
      this.options.delay = true;
      return this;
    };
    Mocha.prototype.dryRun = function(dryRun) {
      this.options.dryRun = dryRun !== false;
      return this;
    };
    Mocha.prototype.failHookAffectedTests = function(failHookAffectedTests) {
      this.options.failHookAffectedTests = failHookAffectedTests !== false;
      return this;
    };
    Mocha.prototype.failZero = function(failZero) {
      this.options.failZero = failZero !== false;
      return this;
    };
    Mocha.prototype.passOnFailingTestSuite = function(passOnFailingTestSuite) {
      this.options.passOnFailingTestSuite = passOnFailingTestSuite === true;
      return this;
    };
    Mocha.prototype.forbidOnly = function(forbidOnly) {
      this.options.forbidOnly = forbidOnly !== false;
      return this;
    };
    Mocha.prototype.forbidPending = function(forbidPending) {
      this.options.forbidPending = forbidPending !== false;
      return this;
    };
    Mocha.prototype._guardRunningStateTransition = function() {
      if (this._state === mochaStates.RUNNING) {
        throw createMochaInstanceAlreadyRunningError2(
          "Mocha instance is currently running tests, cannot start a next test run until this one is done",
          this
        );
      }
      if (this._state === mochaStates.DISPOSED || this._state === mochaStates.REFERENCES_CLEANED) {
        throw createMochaInstanceAlreadyDisposedError2(
          "Mocha instance is already disposed, cannot start a new test run. Please create a new mocha instance. Be sure to set disable `cleanReferencesAfterRun` when you want to reuse the same mocha instance for multiple test runs.",
          this._cleanReferencesAfterRun,
          this
        );
      }
    };
    Object.defineProperty(Mocha.prototype, "version", {
      value: require_package().version,
      configurable: false,
      enumerable: true,
      writable: false
    });
    Mocha.prototype.run = function(fn) {
      this._guardRunningStateTransition();
      this._state = mochaStates.RUNNING;
      if (this._previousRunner) {
        this._previousRunner.dispose();
        this.suite.reset();
      }
      if (this.files.length && !this._lazyLoadFiles) {
        this.loadFiles();
      }
      var suite = this.suite;
      var options = this.options;
      options.files = this.files;
      const runner = new this._runnerClass(suite, {
        cleanReferencesAfterRun: this._cleanReferencesAfterRun,
        delay: options.delay,
        dryRun: options.dryRun,
        failHookAffectedTests: options.failHookAffectedTests,
        failZero: options.failZero
      });
      createStatsCollector2(runner);
      var reporter = new this._reporter(runner, options);
      runner.checkLeaks = options.checkLeaks === true;
      runner.fullStackTrace = options.fullTrace;
      runner.asyncOnly = options.asyncOnly;
      runner.allowUncaught = options.allowUncaught;
      runner.forbidOnly = options.forbidOnly;
      runner.forbidPending = options.forbidPending;
      if (options.grep) {
        runner.grep(options.grep, options.invert);
      }
      if (options.global) {
        runner.globals(options.global);
      }
      if (options.color !== void 0) {
        exports2.reporters.Base.useColors = options.color;
      }
      exports2.reporters.Base.inlineDiffs = options.inlineDiffs;
      exports2.reporters.Base.hideDiff = !options.diff;
      const done = (failures) => {
        this._previousRunner = runner;
        this._state = this._cleanReferencesAfterRun ? mochaStates.REFERENCES_CLEANED : mochaStates.INIT;
        fn = fn || utils12.noop;
        if (typeof reporter.done === "function") {
          reporter.done(failures, fn);
        } else {
          fn(failures);
        }
      };
      const reportFixtureError = (phase, err) => {
        process.stderr.write(
          `
[mocha] global ${phase} failed:
${err && err.stack ? err.stack : err}
`
        );
      };
      const runAsync2 = async (runner2) => {
        let context = {};
        if (this.options.enableGlobalSetup && this.hasGlobalSetupFixtures()) {
          try {
            context = await this.runGlobalSetup(runner2);
          } catch (err) {
            reportFixtureError("setup", err);
            return 1;
          }
        }
        const failureCount = await runner2.runAsync({
          files: this.files,
          options
        });
        if (this.options.enableGlobalTeardown && this.hasGlobalTeardownFixtures()) {
          try {
            await this.runGlobalTeardown(runner2, { context });
          } catch (err) {
            reportFixtureError("teardown", err);
            return failureCount + 1;
          }
        }
        return failureCount;
      };
      runAsync2(runner).then(done);
      return runner;
    };
    Mocha.prototype.rootHooks = function rootHooks({
      beforeAll = [],
      beforeEach = [],
      afterAll = [],
      afterEach = []
    } = {}) {
      beforeAll = utils12.castArray(beforeAll);
      beforeEach = utils12.castArray(beforeEach);
      afterAll = utils12.castArray(afterAll);
      afterEach = utils12.castArray(afterEach);
      beforeAll.forEach((hook) => {
        this.suite.beforeAll(hook);
      });
      beforeEach.forEach((hook) => {
        this.suite.beforeEach(hook);
      });
      afterAll.forEach((hook) => {
        this.suite.afterAll(hook);
      });
      afterEach.forEach((hook) => {
        this.suite.afterEach(hook);
      });
      return this;
    };
    Mocha.prototype.parallelMode = function parallelMode(enable = true) {
      if (utils12.isBrowser()) {
        throw createUnsupportedError4("parallel mode is only supported in Node.js");
      }
      const parallel = Boolean(enable);
      if (parallel === this.options.parallel && this._lazyLoadFiles && this._runnerClass !== exports2.Runner) {
        return this;
      }
      if (this._state !== mochaStates.INIT) {
        throw createUnsupportedError4(
          "cannot change parallel mode after having called run()"
        );
      }
      this.options.parallel = parallel;
      this._runnerClass = parallel ? require_parallel_buffered_runner() : exports2.Runner;
      return this.lazyLoadFiles(this._lazyLoadFiles || parallel);
    };
    Mocha.prototype.lazyLoadFiles = function lazyLoadFiles(enable) {
      this._lazyLoadFiles = enable === true;
      debug5("set lazy load to %s", enable);
      return this;
    };
    Mocha.prototype.globalSetup = function globalSetup(setupFns = []) {
      setupFns = utils12.castArray(setupFns);
      this.options.globalSetup = setupFns;
      debug5("configured %d global setup functions", setupFns.length);
      return this;
    };
    Mocha.prototype.globalTeardown = function globalTeardown(teardownFns = []) {
      teardownFns = utils12.castArray(teardownFns);
      this.options.globalTeardown = teardownFns;
      debug5("configured %d global teardown functions", teardownFns.length);
      return this;
    };
    Mocha.prototype.runGlobalSetup = async function runGlobalSetup(context = {}) {
      const { globalSetup } = this.options;
      if (globalSetup && globalSetup.length) {
        debug5("run(): global setup starting");
        await this._runGlobalFixtures(globalSetup, context);
        debug5("run(): global setup complete");
      }
      return context;
    };
    Mocha.prototype.runGlobalTeardown = async function runGlobalTeardown(context = {}) {
      const { globalTeardown } = this.options;
      if (globalTeardown && globalTeardown.length) {
        debug5("run(): global teardown starting");
        await this._runGlobalFixtures(globalTeardown, context);
      }
      debug5("run(): global teardown complete");
      return context;
    };
    Mocha.prototype._runGlobalFixtures = async function _runGlobalFixtures(fixtureFns = [], context = {}) {
      for await (const fixtureFn of fixtureFns) {
        await fixtureFn.call(context);
      }
      return context;
    };
    Mocha.prototype.enableGlobalSetup = function enableGlobalSetup(enabled = true) {
      this.options.enableGlobalSetup = Boolean(enabled);
      return this;
    };
    Mocha.prototype.enableGlobalTeardown = function enableGlobalTeardown(enabled = true) {
      this.options.enableGlobalTeardown = Boolean(enabled);
      return this;
    };
    Mocha.prototype.hasGlobalSetupFixtures = function hasGlobalSetupFixtures() {
      return Boolean(this.options.globalSetup.length);
    };
    Mocha.prototype.hasGlobalTeardownFixtures = function hasGlobalTeardownFixtures() {
      return Boolean(this.options.globalTeardown.length);
    };
  }
});

// test/vscode/index.ts
var index_exports = {};
__export(index_exports, {
  run: () => run
});
module.exports = __toCommonJS(index_exports);
var fs4 = __toESM(require("node:fs"));
var path3 = __toESM(require("node:path"));

// node_modules/mocha/index.js
var mocha_exports = {};
__export(mocha_exports, {
  default: () => import_mocha.default
});
var import_mocha = __toESM(require_mocha(), 1);
__reExport(mocha_exports, __toESM(require_mocha(), 1));

// test/vscode/index.ts
function run() {
  const mocha = new import_mocha.default({ ui: "tdd", color: true, timeout: 12e4, slow: 1e4 });
  const grep = process.env.ACTLAB_TEST_GREP;
  if (grep) mocha.grep(grep);
  const dir = path3.join(__dirname, "suite");
  for (const f of fs4.readdirSync(dir).filter((n) => n.endsWith(".test.js")).sort()) mocha.addFile(path3.join(dir, f));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => failures > 0 ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve());
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  run
});
/*! Bundled license information:

mocha/lib/mocha.cjs:
  (*!
   * mocha
   * Copyright(c) 2011-2026 OpenJS Foundation and contributors, https://openjsf.org
   * MIT Licensed
   *)
*/
//# sourceMappingURL=index.js.map
