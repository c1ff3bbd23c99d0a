// The languages there are catalogues for: a new language is a new <tag>.js here and its line below.
export default [
 {
  "tag": "en",
  "name": "English"
 },
 {
  "tag": "ko",
  "name": "한국어"
 }
];
